package config

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// validateRecordURLs checks the CRM's record address templates
// (contact_url, deal_url), which link each lead's CRM ids in the report:
// one without {id} links every lead to one page, and one that kept the
// reference's placeholder (PORTAL, COMPANY) to no page, which only a
// salesperson clicking in the workbook would find out. Those are warnings:
// only the report's links suffer, and a daemon must not stop taking leads
// for them. Pipedrive's base_url with COMPANY left in it fails every call
// to the CRM: that is a problem.
func (l *loader) validateRecordURLs(cfg *Config) {
	for _, u := range []struct {
		path        []string
		value, hint string
	}{
		{[]string{"crm", "hubspot", "contact_url"}, cfg.CRM.HubSpot.ContactURL, "https://app.hubspot.com/contacts/PORTAL/record/0-1/{id} (PORTAL: the hub id)"},
		{[]string{"crm", "hubspot", "deal_url"}, cfg.CRM.HubSpot.DealURL, "https://app.hubspot.com/contacts/PORTAL/record/0-3/{id} (PORTAL: the hub id)"},
		{[]string{"crm", "pipedrive", "contact_url"}, cfg.CRM.Pipedrive.ContactURL, "https://acme.pipedrive.com/person/{id}"},
		{[]string{"crm", "pipedrive", "deal_url"}, cfg.CRM.Pipedrive.DealURL, "https://acme.pipedrive.com/deal/{id}"},
	} {
		if u.value == "" {
			continue
		}
		key := strings.Join(u.path, ".")
		p, err := url.Parse(u.value)
		switch {
		case err != nil || p.Host == "" || (p.Scheme != "https" && p.Scheme != "http"):
			l.warnAt(u.path, "%s %q is not a web address: write the address of a record in the CRM with {id} in the place of its id, as %s",
				key, u.value, u.hint)
		case !strings.Contains(u.value, "{id}"):
			l.warnAt(u.path, "%s %s has no {id}, so every lead's link in the report opens that one page: put {id} in the place of the record's id, as %s",
				key, u.value, u.hint)
		default:
			l.placeholder(u.path, u.value, l.warnAt)
		}
	}
	if b := cfg.CRM.Pipedrive.BaseURL; cfg.CRM.Kind == "pipedrive" {
		l.placeholder([]string{"crm", "pipedrive", "base_url"}, shownURL(b), l.at)
	}
}

// placeholder says, by say (a problem or a warning), at path when the
// address raw still holds a placeholder of the reference or the example
// (PORTAL, COMPANY), which names no account.
func (l *loader) placeholder(path []string, raw string, say func(path []string, format string, args ...any)) {
	for _, p := range []struct{ word, what string }{
		{"PORTAL", "your HubSpot account's hub id (syncd crm check prints it)"},
		{"COMPANY", "your company's Pipedrive name, as in the address the browser shows (acme for acme.pipedrive.com)"},
	} {
		if strings.Contains(raw, p.word) {
			say(path, "%s %s holds %s, a placeholder of the example: write %s in its place",
				strings.Join(path, "."), raw, p.word, p.what)
			return
		}
	}
}

// dryRunWithToken warns when crm.kind is dryrun while a CRM's section
// holds its token: the example's kind: dryrun left as it is when the
// hubspot: or pipedrive: lines below it were filled in sends nothing to
// the CRM, and validate said ok and serve served, the leads recorded
// only. Said once, of the first CRM with a token.
func (l *loader) dryRunWithToken(c CRM) {
	if c.Kind != "dryrun" {
		return
	}
	for _, crm := range []struct{ name, title, token, file string }{
		{"hubspot", "HubSpot", c.HubSpot.Token, c.HubSpot.TokenFile},
		{"pipedrive", "Pipedrive", c.Pipedrive.Token, c.Pipedrive.TokenFile},
	} {
		if crm.token == "" && crm.file == "" {
			continue
		}
		path := []string{"crm", "kind"}
		if !l.has(path...) {
			path = []string{"crm", crm.name}
		}
		l.warnings = append(l.warnings, Problem{File: l.file, Line: l.line(path), Msg: fmt.Sprintf(
			"crm.kind is dryrun, so nothing is sent to %s though crm.%s has its token: the leads are only recorded: "+
				"write kind: %s under crm: to send them (syncd crm check first)", crm.title, crm.name, crm.name)})
		return
	}
}

// mappingDirOfOtherCRM warns, at mapping.dir's line, of a mapping folder
// named for the CRM crm.kind does not name (mappings/hubspot with kind:
// pipedrive): crm.kind changed and mapping.dir left as it was. The mapping
// files' own problems, each at a line of theirs, did not say which line of
// the configuration to change. A dry run judges no CRM's mappings.
func (l *loader) mappingDirOfOtherCRM(cfg *Config) {
	kind, dir := cfg.CRM.Kind, cfg.Mapping.Dir
	if kind != "hubspot" && kind != "pipedrive" {
		return
	}
	other := "hubspot"
	if kind == other {
		other = "pipedrive"
	}
	if filepath.Base(filepath.Clean(dir)) != other {
		return
	}
	l.warnAt([]string{"mapping", "dir"}, "mapping.dir %s is the %s mappings' folder, while crm.kind is %s: "+
		"write dir: %s under mapping: (or kind: %s under crm:)", dir, other, kind, filepath.Join(filepath.Dir(filepath.Clean(dir)), kind), other)
	if n := len(l.warnings); n > 0 {
		p := l.warnings[n-1]
		l.otherCRMMappings = &p
	}
}
