package config

import (
	"crypto/x509"
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"al.essio.dev/pkg/shellescape"

	"github.com/nyaruka/phonenumbers"
	"github.com/robfig/cron/v3"

	"github.com/syncd-dev/syncd/internal/schedule"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// tokenChars are the characters a path token may have: unreserved URL
// characters, so a token never needs escaping.
var tokenChars = regexp.MustCompile(`^[A-Za-z0-9._~-]+$`)

// sourceName is what a source name may look like: it is a URL path segment.
var sourceName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// MinTokenLength is the shortest path token accepted.
const MinTokenLength = 16

// validate adds a problem for every setting that cannot work.
func (l *loader) validate(cfg *Config) {
	l.validateAgency(cfg.Agency)
	l.validateListen(cfg)
	switch strings.ToLower(cfg.Log.Level) {
	case "debug", "info", "warn", "error":
	default:
		l.at([]string{"log", "level"}, "log.level %q is not debug, info, warn or error%s", cfg.Log.Level,
			meant(cfg.Log.Level, "debug", "info", "warn", "error"))
	}
	for i, p := range cfg.HTTP.TrustedProxies {
		if _, err := ParsePrefix(p); err != nil {
			l.at([]string{"http", "trusted_proxies", itoa(i)}, "http.trusted_proxies: %s", notPrefix(p, err))
		}
	}
	switch {
	case cfg.HTTP.MaxBodyBytes < 1024:
		l.at([]string{"http", "max_body_bytes"}, "http.max_body_bytes %d must be at least 1024: write 1048576 (1 MiB), the default, "+
			"or another number of bytes up to %d (64 MiB)", cfg.HTTP.MaxBodyBytes, MaxBodyLimit)
	case cfg.HTTP.MaxBodyBytes > MaxBodyLimit:
		// SQLite (1e9 bytes) and PostgreSQL (1 GB) refuse a value past theirs,
		// failing every delivery committed with it: 503 for all of them.
		l.at([]string{"http", "max_body_bytes"}, "http.max_body_bytes must be at most %d (64 MiB): a lead is a few kilobytes, "+
			"each body is held in memory while it is read and stored, and one too large for the database fails every "+
			"delivery stored with it", MaxBodyLimit)
	}
	switch {
	case cfg.Intake.MaxDepth < 8:
		l.at([]string{"intake", "max_depth"}, "intake.max_depth %d must be at least 8: write 256, the default, or another number up to %d",
			cfg.Intake.MaxDepth, sender.MaxDepthLimit)
	case cfg.Intake.MaxDepth > sender.MaxDepthLimit:
		l.at([]string{"intake", "max_depth"}, "intake.max_depth must be at most %d, the JSON parser's own limit "+
			"(deeper, a body is invalid JSON to it, not too deep)", sender.MaxDepthLimit)
	}
	l.validateAnswerWithin(cfg)
	l.validateBounds()
	if cfg.HTTP.MaxConnections < 16 {
		l.at([]string{"http", "max_connections"}, "http.max_connections %d must be at least 16: write 512, the default, or another number from 16",
			cfg.HTTP.MaxConnections)
	}
	if len(cfg.Sources) == 0 {
		l.at([]string{"sources"}, "no sources configured: add at least one under sources:")
	}
	for _, name := range cfg.SourceNames() {
		l.validateSource(name, cfg.Sources[name], l.listensAbroad(cfg))
	}
	l.validateCountries(cfg)
	l.validateSharedTokens(cfg)
	l.validateCRM(cfg)
	l.validateRecordURLs(cfg)
	l.dryRunWithToken(cfg.CRM)
	l.mappingDirOfOtherCRM(cfg)
	shell := l.shellPaths(cfg)
	if st, err := os.Stat(cfg.Mapping.Dir); (err != nil || !st.IsDir()) && !shell["mapping.dir"] {
		l.at([]string{"mapping", "dir"}, "mapping.dir %s is not a directory%s%s", cfg.Mapping.Dir, l.fromWorkDir(cfg.Mapping.Dir),
			l.besideConfig(cfg.Mapping.Dir, true))
	}
	if err := schedule.Check(cfg.Sync.Schedule); err != nil {
		l.at([]string{"sync", "schedule"}, "sync.schedule %v", err)
	}
	if p := cfg.Sync.ProbeEvery; p < 30*time.Second || p > time.Hour {
		// Below 30 s, the syncer's shortest cool-down, it runs at every
		// try all the same; past an hour a batch the CRM never takes
		// holds up every lead that long after an outage.
		l.at([]string{"sync", "probe_every"}, "sync.probe_every must be between 30s and 1h (the default 10m), not %s", p)
	}
	l.validateReport(cfg, shell["report.mail.ca_file"])
	l.validateEvery(cfg)
	l.validateRetention(cfg.Retention)
}

// MaxAgencyRunes is the longest agency name taken, in characters: it
// fits the report mail's subject before the day's figures and a printed
// page's header whole.
const MaxAgencyRunes = 60

// validateAgency checks the agency's name, which the report's subject and
// pages print: one line of printable characters (no tab, line break or
// invisible character that turns text around), at most MaxAgencyRunes.
func (l *loader) validateAgency(name string) {
	path := []string{"agency"}
	switch {
	case name == "":
	case strings.TrimSpace(name) == "":
		l.at(path, "agency %q is blank: write the agency's name (agency: \"Nordhavn Erhverv\"), or remove the line", name)
	case strings.TrimSpace(name) != name:
		l.at(path, "agency %q starts or ends with a space: write the name without them", name)
	case strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
		l.at(path, "agency %q holds a line break, tab or invisible character: write the name on one line, "+
			"letters, digits, spaces and punctuation only (the report's subject and printed pages show it)", name)
	case utf8.RuneCountInString(name) > MaxAgencyRunes:
		l.at(path, "agency is %d characters long, longer than the %d the report's subject and printed pages show whole: "+
			"write a shorter name (\"Nordhavn Erhverv\")", utf8.RuneCountInString(name), MaxAgencyRunes)
	}
}

// validateAnswerWithin: a delivery answered after http.write_timeout never
// gets its answer, though its event is stored; the problem is at the key the
// file sets, answer_within first.
func (l *loader) validateAnswerWithin(cfg *Config) {
	within, write := cfg.Intake.AnswerWithin, cfg.HTTP.WriteTimeout
	if within < write || within < 0 || write < 0 || l.doubtful([]string{"intake"}) || l.doubtful([]string{"http"}) { // one may be a default
		return
	}
	at := []string{"intake", "answer_within"}
	if !l.has(at...) {
		at = []string{"http", "write_timeout"}
	}
	l.at(at, "intake.answer_within (%s) must be below http.write_timeout (%s), or a delivery whose commit takes longer is stored but the sender never gets its answer: lower answer_within or raise write_timeout", within, write)
}

// validateCountries: mapping reads phone numbers by the region of the
// sender's kind, not of the source, so two sources of one kind must agree
// on default_country, or one's phones would silently be read in the
// other's numbering plan.
func (l *loader) validateCountries(cfg *Config) {
	first := map[string]string{} // kind -> the first source of it, in name order
	for _, name := range cfg.SourceNames() {
		src := cfg.Sources[name]
		other, seen := first[src.Kind]
		if l.doubtful([]string{"sources", other}) { // its default_country may be the default
			continue
		}
		if !seen {
			first[src.Kind] = name
			continue
		}
		if want := cfg.Sources[other].DefaultCountry; !strings.EqualFold(src.DefaultCountry, want) {
			l.at([]string{"sources", name, "default_country"},
				"sources.%s.default_country %s differs from sources.%s.default_country %s: the mappings read phones by sender kind (%s), not by source, so sources of one kind need one default_country",
				name, src.DefaultCountry, other, want, src.Kind)
		}
	}
}

// validateSharedTokens: a token opens its source only, so two sources
// with one token would let a sender given it post as either (and read as
// the other's kind and mappings). The problem names both sources, never
// the token. A token left "" is no token to share: a secret file not
// read (LoadWithoutSecrets, for the commands that only read the store), or
// one missing or empty, which is said on its own; two sources of
// token_files: were refused as sharing one by every such command.
func (l *loader) validateSharedTokens(cfg *Config) {
	owner := map[string]string{} // token -> the first source with it, in name order
	for _, name := range cfg.SourceNames() {
		for i, tok := range cfg.Sources[name].Tokens {
			other, seen := owner[tok]
			switch {
			case tok == "":
			case !seen:
				owner[tok] = name
			case other != name:
				l.at([]string{"sources", name, "tokens", itoa(i)},
					"sources.%s.tokens entry %d is also a token of sources.%s: give each source its own, or a sender holding it can post as either", name, i+1, other)
			}
		}
	}
}

func (l *loader) validateSource(name string, src Source, abroad string) {
	at := func(key string) []string { return []string{"sources", name, key} }
	if !sourceName.MatchString(name) {
		l.at([]string{"sources", name}, "sources.%s: a source's name is part of its URL (/hooks/NAME/TOKEN): use lower-case letters, digits, - and _", name)
	}
	if sender.For(syncd.Kind(src.Kind)) == nil {
		l.at(at("kind"), "sources.%s.kind %q is not %s%s", name, src.Kind, strings.Join(sender.Kinds(), " or "), meant(src.Kind, sender.Kinds()...))
	}
	if c := src.DefaultCountry; c != "" && phonenumbers.GetCountryCodeForRegion(strings.ToUpper(c)) == 0 {
		l.at(at("default_country"), "sources.%s.default_country %s is no country code: %s", name, c, countryHint(c))
	}
	if len(src.Tokens) == 0 {
		l.at([]string{"sources", name}, "sources.%s has no token: write sources.%s.tokens or sources.%s.token_files", name, name, name)
	}
	literal := len(src.Tokens) - len(src.TokenFiles) // secrets appended those of token_files
	for i, tok := range src.Tokens {
		if len(tok) >= MinTokenLength && tokenChars.MatchString(tok) {
			continue
		}
		// The token itself is never echoed: this output may end up in logs.
		if f := i - literal; f >= 0 {
			if !l.secretFailed("sources", name, "token_files", itoa(f)) {
				l.at([]string{"sources", name, "token_files", itoa(f)}, "sources.%s.token_files entry %d: the token in %s must be at least %d characters of A-Z a-z 0-9 . _ ~ -%s",
					name, f+1, l.secretOpened(src.TokenFiles[f]), MinTokenLength, shellToken(tok))
			}
			continue
		}
		l.at([]string{"sources", name, "tokens", itoa(i)},
			"sources.%s.tokens entry %d must be at least %d characters of A-Z a-z 0-9 . _ ~ -%s", name, i+1, MinTokenLength, shellToken(tok))
	}
	l.placeholderTokens(name, src, abroad)
	if (src.BasicAuth.Username == "") != (src.BasicAuth.Password == "") && !l.secretFailed("sources", name, "basic_auth", "password_file") {
		l.at(at("basic_auth"), "sources.%s.basic_auth needs both username and password (or password_file)", name)
	}
	for i, c := range src.AllowIPs {
		if _, err := ParsePrefix(c); err != nil {
			l.at([]string{"sources", name, "allow_ips", itoa(i)}, "sources.%s.allow_ips: %s", name, notPrefix(c, err))
		}
	}
}

func (l *loader) validateCRM(cfg *Config) {
	c := cfg.CRM
	switch c.Kind {
	case "dryrun":
	case "hubspot":
		if c.HubSpot.Token == "" && !l.secretFailed("crm", "hubspot", "token_file") {
			l.at([]string{"crm", "hubspot"}, "crm.hubspot.token or crm.hubspot.token_file is required")
		}
		l.shellSecret([]string{"crm", "hubspot", "token"}, c.HubSpot.Token)
		l.accountID([]string{"crm", "hubspot", "hub_id"}, c.HubSpot.HubID)
		l.baseURL([]string{"crm", "hubspot", "base_url"}, c.HubSpot.BaseURL, "https://api.hubapi.com")
	case "pipedrive":
		if c.Pipedrive.Token == "" && !l.secretFailed("crm", "pipedrive", "token_file") {
			l.at([]string{"crm", "pipedrive"}, "crm.pipedrive.token or crm.pipedrive.token_file is required")
		}
		l.shellSecret([]string{"crm", "pipedrive", "token"}, c.Pipedrive.Token)
		if c.Pipedrive.BaseURL == "" {
			l.at([]string{"crm", "pipedrive"}, "crm.pipedrive.base_url is required (https://COMPANY.pipedrive.com/api/v2)")
		} else {
			l.baseURL([]string{"crm", "pipedrive", "base_url"}, c.Pipedrive.BaseURL, "https://COMPANY.pipedrive.com/api/v2")
			l.pipedriveAPI([]string{"crm", "pipedrive", "base_url"}, c.Pipedrive.BaseURL)
		}
		l.accountID([]string{"crm", "pipedrive", "company_id"}, c.Pipedrive.CompanyID)
	default:
		l.at([]string{"crm", "kind"}, "crm.kind %q is not dryrun, hubspot or pipedrive%s", c.Kind, meant(c.Kind, "dryrun", "hubspot", "pipedrive"))
	}
}

// placeholderTokens warns of a source's tokens that are placeholders (the
// example configuration's example-eaf-token-change-me, which it falls back
// on without SYNCD_EAF_TOKEN): anyone who read the example knows them, so
// the source takes anyone's deliveries. A warning while syncd listens on
// this host's loopback only (the quick start posts with them on
// 127.0.0.1); a problem where listen takes connections from other hosts
// (abroad names the setting and address, listensAbroad), where a daemon
// started before its tokens were set stored anyone's leads for the CRM.
func (l *loader) placeholderTokens(name string, src Source, abroad string) {
	env := "SYNCD_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_")) + "_TOKEN"
	for i, tok := range src.Tokens {
		if !Placeholder(tok) {
			continue
		}
		path := []string{"sources", name, "tokens", itoa(i)}
		if abroad != "" {
			l.at(path, "sources.%s.tokens entry %d is a placeholder (it says change-me) that anyone who read the example knows, "+
				"and %s takes connections from other hosts: give the source a token of your own (the example "+
				"configuration reads it from %s), or listen on 127.0.0.1 for a trial", name, i+1, abroad, env)
			continue
		}
		l.warnings = append(l.warnings, Problem{File: l.file, Line: l.line(path),
			Msg: fmt.Sprintf("sources.%s.tokens entry %d is a placeholder (it says change-me) that anyone who read the example knows: "+
				"give the source a token of your own before senders can reach syncd (the example configuration reads it from %s)",
				name, i+1, env)})
	}
}

// Placeholder reports whether tok is a placeholder token, as the example
// configuration's example-eaf-token-change-me: it says change-me.
func Placeholder(tok string) bool { return strings.Contains(strings.ToLower(tok), "change-me") }

// PlaceholderTokens names each source token that is a placeholder
// ("sources.eaf.tokens entry 1"), in the order of the sources' names.
func (c *Config) PlaceholderTokens() []string {
	var out []string
	for _, name := range c.SourceNames() {
		for i, tok := range c.Sources[name].Tokens {
			if Placeholder(tok) {
				out = append(out, fmt.Sprintf("sources.%s.tokens entry %d", name, i+1))
			}
		}
	}
	return out
}

// listensAbroad names the listen setting and its address ("listen
// 0.0.0.0:8080", "SYNCD_LISTEN :8080") when it takes connections from other
// hosts (a wildcard, or an address other than loopback), else "".
func (l *loader) listensAbroad(cfg *Config) string {
	host, _, err := net.SplitHostPort(cfg.Listen)
	if err != nil || loopback(host) {
		return ""
	}
	if l.env("SYNCD_LISTEN") != "" {
		return "SYNCD_LISTEN " + cfg.Listen
	}
	return "listen " + cfg.Listen
}

// baseURL checks a CRM's base_url, which every request carries the token
// and the leads to: an https:// URL, or http:// to this host only (a
// stand-in CRM, syncd fakecrm). A URL without a scheme used to pass and
// fail every request ("unsupported protocol scheme"); http:// to another
// host sent the token and personal data in clear.
//
// A base_url with a query or a fragment (Pipedrive's documented
// ?api_token=..., HubSpot's old ?hapikey=..., pasted with the address)
// took every request to the API's root, each answered 404, and the
// problems said about it quoted the URL, the token with it: neither is
// said (shownURL), and the token's place is named. So is a login before
// the host (https://TOKEN@host), which loaded, and was said whole as the
// address to write. A query naming the token's own key (api_token=,
// hapikey=) is said to hold the token, by that key alone. A token pasted
// into the path (https://api.hubapi.com/pat-na1-…/, …/api/v2/api_token=…)
// loaded, or was quoted whole by the check of Pipedrive's /api/v2: it is
// refused, and no problem shows it (tokenSegment).
func (l *loader) baseURL(path []string, raw, example string) {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		l.at(path, "crm.%s.base_url %q is not an https:// URL: write %s", path[1], shownURL(raw), example)
	case strings.ContainsAny(raw, "?#") && tokenKey(raw) != "":
		l.at(path, "crm.%s.base_url %s is followed by a query holding the token (%s=…, not shown here), which syncd does "+
			"not send: remove it from base_url, and put the token in crm.%s.token or token_file (a file of its own, "+
			"kept out of the configuration)", path[1], shownURL(raw), tokenKey(raw), path[1])
	case strings.ContainsAny(raw, "?#"): // a path's own ? or # is written %3F, %23
		l.at(path, "crm.%s.base_url %s is followed by a query or fragment (?… or #…, not shown here: it may hold the token), "+
			"which syncd does not send: remove it from base_url, and put the token in crm.%s.token or token_file",
			path[1], shownURL(raw), path[1])
	case tokenInPath(u.EscapedPath()):
		l.at(path, "crm.%s.base_url %s holds what looks like the token in its path (xxxxx, not shown here), which the "+
			"CRM takes only in a header: remove it from base_url, and put the token in crm.%s.token or token_file (a "+
			"file of its own, kept out of the configuration)", path[1], shownURL(raw), path[1])
	case u.Scheme == "http" && !loopback(u.Hostname()):
		l.at(path, "crm.%s.base_url %s would send the token and the leads unencrypted: "+
			"write https:// (http:// is for a CRM on this host only, as syncd fakecrm)", path[1], shownURL(raw))
	}
	if err == nil && u.User != nil {
		l.at(path, "crm.%s.base_url %s has a login before its host (…@, not shown here: it may hold the token), "+
			"which the CRM does not take: remove it from base_url, and put the token in crm.%s.token or token_file",
			path[1], shownURL(raw), path[1])
	}
}

// shownURL is the address raw as a problem says it: without its query
// and fragment, its login (user:password@, or a token written as the
// user, https://TOKEN@host) as xxxxx@, each path segment that looks like a
// token (tokenSegment) as xxxxx; raw up to any ? or # when it does not
// parse, its login and such segments as xxxxx alike.
func shownURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.IndexAny(raw, "?#"); i >= 0 {
			raw = raw[:i]
		}
		return maskTokens(withoutLogin(raw))
	}
	u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = "", false, "", ""
	if u.User != nil {
		u.User = url.User("xxxxx")
	}
	if tokenInPath(u.EscapedPath()) {
		p := maskTokens(u.EscapedPath())
		u.Path, u.RawPath = p, p
	}
	return u.String()
}

// tokenKeys are the query keys the CRMs' own documentation puts a token
// in: Pipedrive's api_token, HubSpot's old hapikey.
var tokenKeys = []string{"api_token", "hapikey", "access_token"}

// tokenKey is the key of tokenKeys that raw's query (or path, written so)
// holds as key=, "" if none.
func tokenKey(raw string) string {
	low := strings.ToLower(raw)
	if u, err := url.PathUnescape(low); err == nil {
		low = u
	}
	for _, k := range tokenKeys {
		if strings.Contains(low, k+"=") {
			return k
		}
	}
	return ""
}

// tokenInPath reports whether a segment of the URL path p looks like a
// token (tokenSegment).
func tokenInPath(p string) bool {
	for _, s := range strings.Split(p, "/") {
		if tokenSegment(s) {
			return true
		}
	}
	return false
}

// maskTokens is the path (or an address that does not parse) p with each
// /-separated segment that looks like a token as xxxxx.
func maskTokens(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if tokenSegment(s) {
			segs[i] = "xxxxx"
		}
	}
	return strings.Join(segs, "/")
}

// tokenSegment reports whether s, one segment of a path, looks like an API
// token pasted into it: a key of tokenKeys with its value (api_token=…,
// ;api_token=…), a HubSpot private app's token (pat-na1-…, pat-eu1-…), or
// 32 hex digits or more, with dashes or not (Pipedrive's 40, a UUID such
// as HubSpot's old API keys). No API path segment is any of these.
func tokenSegment(s string) bool {
	if u, err := url.PathUnescape(s); err == nil {
		s = u
	}
	low := strings.ToLower(s)
	if strings.HasPrefix(low, "pat-") || tokenKey(low) != "" {
		return true
	}
	hex := 0
	for _, r := range low {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'f':
			hex++
		case r == '-':
		default:
			return false
		}
	}
	return hex >= 32
}

// withoutLogin is an address that does not parse with what stands before
// the last @ of its host part (after any scheme's //, up to the next /) as
// xxxxx: the login, where a token is sometimes pasted.
func withoutLogin(raw string) string {
	start := 0
	if i := strings.Index(raw, "//"); i >= 0 {
		start = i + 2
	}
	end := len(raw)
	if i := strings.IndexByte(raw[start:], '/'); i >= 0 {
		end = start + i
	}
	at := strings.LastIndexByte(raw[start:end], '@')
	if at < 0 {
		return raw
	}
	return raw[:start] + "xxxxx" + raw[start+at:]
}

// pipedriveAPI checks that a Pipedrive base_url, an http(s) URL, is the
// address of its API v2 (the adapter reads v1 beside it): one of the
// company's site alone (https://acme.pipedrive.com, as the browser shows
// it) loaded, and every read drew a 404 that crm check could only call
// "not the CRM's API address".
func (l *loader) pipedriveAPI(path []string, raw string) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return // baseURL said so
	}
	p := strings.TrimRight(u.Path, "/")
	if strings.HasSuffix(p, "/api/v2") || tokenInPath(u.EscapedPath()) { // baseURL said the token
		return
	}
	fix := *u
	fix.Path = strings.TrimSuffix(p, "/api/v1") + "/api/v2"
	if !strings.HasSuffix(p, "/api/v1") && p != "" {
		fix.Path = "/api/v2"
	}
	l.at(path, "crm.pipedrive.base_url %s is not the address of Pipedrive's API, which ends in /api/v2: write %s",
		shownURL(raw), shownURL(fix.String()))
}

// loopback reports whether host names this machine.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

// accountID checks a pinned CRM account id: digits, as `syncd crm check`
// prints it.
func (l *loader) accountID(path []string, id string) {
	if id != "" && strings.Trim(id, "0123456789") != "" {
		l.at(path, "%s %q is not a number: write the id `syncd crm check` prints (hub id 1234567, company 4242)",
			strings.Join(path, "."), id)
	}
}

// validateReport checks the report's settings; shellCA: report.mail.ca_file
// is written as for a shell, which shellPaths said.
func (l *loader) validateReport(cfg *Config, shellCA bool) {
	r := cfg.Report
	if st, err := os.Stat(r.Dir); err == nil && !st.IsDir() { // serve would only warn, and every report fail
		l.at([]string{"report", "dir"}, "report.dir %s is a file, not a directory: name a directory (serve makes one that is missing)", r.Dir)
	}
	if _, err := time.LoadLocation(r.TimeZone); err != nil {
		l.at([]string{"report", "time_zone"}, "report.time_zone %s", zoneProblem(r.TimeZone))
	}
	if err := schedule.Check(r.Schedule); err != nil {
		l.at([]string{"report", "schedule"}, "report.schedule %v", err)
	} else if c, ok := constantDelay(r.Schedule); ok && c.Delay > time.Hour {
		// A day's report is due one interval after the day ended, and made
		// at the first tick past that, ticks counted from the daemon's start.
		l.warnings = append(l.warnings, Problem{File: l.file, Line: l.line([]string{"report", "schedule"}), Msg: fmt.Sprintf(
			"report.schedule %q runs every %s counted from the daemon's start, not at a time of day: a day's report is made "+
				"%s to %s after the day ended, at an hour that moves with each restart: write a time of day in report.time_zone "+
				"(\"0 6 * * *\" for 06:00, \"@daily\" for midnight)", r.Schedule, syncd.HowLong(c.Delay), syncd.HowLong(c.Delay), syncd.HowLong(2*c.Delay))})
	}
	m := r.Mail
	// A port that is none is wrong whatever else is set: it was said only
	// once to: was, when the recipients were added.
	portOK := l.mailPortInRange(m)
	// The host, from, tls (with the port it goes with) and ca_file too, as
	// with to: set: the section is the one used the day a recipient is
	// added, and it was refused only then. A from left empty is fine until
	// then (nothing is sent).
	l.validateMailHost(m)
	if len(m.To) == 0 {
		l.noRecipients(m)
	} else if m.Host == "" || m.From == "" {
		l.at([]string{"report", "mail"}, "report.mail.host and report.mail.from are required when report.mail.to is set")
	}
	if m.From != "" {
		l.mailAddress([]string{"report", "mail", "from"}, "from", m.From)
	}
	for i, addr := range m.To {
		l.mailAddress([]string{"report", "mail", "to", itoa(i)}, "to", addr)
	}
	switch m.TLS {
	case "starttls", "opportunistic", "tls", "none":
	default:
		l.at([]string{"report", "mail", "tls"}, "report.mail.tls %q is not starttls, opportunistic, tls or none%s", m.TLS,
			tlsMeant(m.TLS))
	}
	if portOK {
		l.validateMailPort(m)
	}
	if m.CAFile != "" && !shellCA {
		l.validateCAFile(m.CAFile)
	}
	l.validateMailLogin(m)
	if len(m.To) == 0 { // nothing is sent, in the clear or not
		return
	}
	if m.TLS == "none" && m.Host != "" && !loopback(m.Host) {
		l.warnings = append(l.warnings, Problem{File: l.file, Line: l.line([]string{"report", "mail", "tls"}), Msg: fmt.Sprintf(
			"report.mail.tls none sends the reports, every lead's name, email and phone, unencrypted to %s "+
				"(a login there too, where the server offers a way without TLS): set tls: starttls; none is for a relay on this host", shownHost(m.Host))})
	}
	if m.TLS == "opportunistic" && m.Host != "" && !loopback(m.Host) {
		// A login does not stop it: without TLS the login is made with
		// SCRAM, NTLM or CRAM-MD5 when offered, which succeed.
		l.warnings = append(l.warnings, Problem{File: l.file, Line: l.line([]string{"report", "mail", "tls"}), Msg: fmt.Sprintf(
			"report.mail.tls opportunistic sends the reports, every lead's name, email and phone, unencrypted to %s "+
				"whenever STARTTLS is not offered, and anyone on the network between can remove the offer: "+
				"set tls: starttls; opportunistic is for a relay on this host", shownHost(m.Host))})
	}
}

// mailAddress checks an address of report.mail (key: from or to) at its own
// line, each entry of a to: list on its own, quoting it: the problem said
// "address 2", counted from from: and from 0.
func (l *loader) mailAddress(path []string, key, addr string) {
	_, err := mail.ParseAddress(addr)
	if err == nil {
		return
	}
	why := strings.TrimPrefix(err.Error(), "mail: ")
	switch {
	case strings.TrimSpace(addr) == "":
		l.at(path, "report.mail.%s: an empty address: remove the entry or write one", key)
	case strings.Count(addr, "@") > 1:
		l.at(path, "report.mail.%s %q is more than one address: put each in an entry of its own (to: [a@example.com, b@example.com]) (%s)",
			key, addr, why)
	case quotedName(addr) != "":
		l.at(path, "report.mail.%s %q is not an email address: a name holding a comma, semicolon or colon must be "+
			"in double quotes, else its first part reads as an address of its own: write %s (in YAML, within single "+
			"quotes: '%s')", key, addr, quotedName(addr), quotedName(addr))
	case !strings.Contains(addr, "@"):
		l.at(path, "report.mail.%s %q is not an email address: it has no @ (write name@example.com or \"Name <name@example.com>\")",
			key, addr)
	default:
		l.at(path, "report.mail.%s %q is not an email address: write name@example.com or \"Name <name@example.com>\" (%s)",
			key, addr, why)
	}
}

// quotedName is addr, "Name <address>" whose name needs double quotes
// (Hansen, Søren: a comma, as Danish and German lists write a surname
// first), with its name quoted, when that is an address; else "". Told to
// write "Name <name@example.com>", which is what they wrote, operators
// were left to guess.
func quotedName(addr string) string {
	i := strings.LastIndex(addr, "<")
	name := strings.TrimSpace(addr[:max(i, 0)])
	if i <= 0 || strings.HasPrefix(name, `"`) || !strings.ContainsAny(name, ",;:") {
		return ""
	}
	q := `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `" ` + strings.TrimSpace(addr[i:])
	if _, err := mail.ParseAddress(q); err != nil {
		return ""
	}
	return q
}

// constantDelay is spec, when it is an @every one.
func constantDelay(spec string) (cron.ConstantDelaySchedule, bool) {
	s, _ := cron.ParseStandard(spec)
	c, ok := s.(cron.ConstantDelaySchedule)
	return c, ok
}

// mailPortInRange adds a problem when report.mail.port is no port (not 1
// to 65535), and reports whether it is one.
func (l *loader) mailPortInRange(m Mail) bool {
	if m.Port >= 1 && m.Port <= 65535 {
		return true
	}
	l.at([]string{"report", "mail", "port"}, "report.mail.port %d is out of range: a port is 1 to 65535: "+
		"write 587 for starttls (the default), 465 for tls: tls", m.Port)
	return false
}

// validateMailPort refuses the well-known ports with the other kind of
// TLS: a client speaking plain text first to 465 waits for a greeting the
// server never sends (it waits for TLS), and TLS first to 587 or 25 fails.
func (l *loader) validateMailPort(m Mail) {
	path := []string{"report", "mail", "port"}
	switch {
	case m.Port == 465 && m.TLS != "tls":
		l.at(path, "report.mail.port 465 is SMTPS (TLS from the first byte): set tls: tls, or use port 587 for STARTTLS")
	case (m.Port == 587 || m.Port == 25) && m.TLS == "tls":
		l.at(path, "report.mail.port %d starts in plain text (STARTTLS): set tls: starttls, or use port 465 for tls: tls", m.Port)
	}
}

// validateCAFile checks that report.mail.ca_file holds a PEM certificate.
func (l *loader) validateCAFile(file string) {
	path := []string{"report", "mail", "ca_file"}
	b, err := os.ReadFile(file)
	if err != nil {
		l.at(path, "report.mail.ca_file: %v%s%s", err, l.fromWorkDir(file), l.besideConfig(file, false))
		return
	}
	if !x509.NewCertPool().AppendCertsFromPEM(b) {
		l.at(path, "report.mail.ca_file %s holds no PEM certificate (-----BEGIN CERTIFICATE-----)", file)
	}
	if st, err := os.Stat(file); err == nil && st.Mode()&othersWrite != 0 { // a certificate of theirs: the reports mailed to them
		l.warnings = append(l.warnings, Problem{File: l.file, Line: l.line(path), Msg: fmt.Sprintf(
			"report.mail.ca_file %s can be written by every local user (mode %s): any of them could add a certificate "+
				"and receive the reports in the mail server's place: chmod o-w %s", file, st.Mode().Perm(), shellescape.Quote(file))})
	}
}

// besideConfig says, of a relative path not found from the working
// directory, that it is beside the configuration file (a directory when
// dir, else a file; secret files are read from there, report.mail.ca_file
// is not), and the absolute
// path to write ("" when it is not there either): an operator validating
// /etc/syncd/syncd.yaml from their home directory was told where syncd
// looked, not where the folder is.
func (l *loader) besideConfig(p string, dir bool) string {
	if filepath.IsAbs(p) {
		return ""
	}
	base, err := filepath.Abs(filepath.Dir(l.file))
	there := filepath.Join(base, p)
	if st, serr := os.Stat(there); err != nil || serr != nil || st.IsDir() != dir {
		return ""
	}
	return fmt.Sprintf(": it is beside the configuration file, %s: write that absolute path, or run the command in %s", there, base)
}

// fromWorkDir says, for a relative path, where it was looked for: the
// daemon under systemd runs in /etc/syncd, an operator's shell elsewhere.
// Where the configuration file is in another folder it says that folder
// is not the one: an operator running syncd validate on a file elsewhere
// read mappings/hubspot as beside the file.
func (l *loader) fromWorkDir(p string) string {
	wd, err := os.Getwd()
	if filepath.IsAbs(p) || err != nil {
		return ""
	}
	if dir, err := filepath.Abs(filepath.Dir(l.file)); err == nil && dir != wd {
		return fmt.Sprintf(" (a relative path, read from the working directory %s, not from the configuration file's folder %s)", wd, dir)
	}
	return fmt.Sprintf(" (a relative path, read from the working directory %s)", wd)
}

func itoa(i int) string { return strconv.Itoa(i) }

// SourceNames returns the configured source names in order.
func (c *Config) SourceNames() []string {
	names := make([]string, 0, len(c.Sources))
	for n := range c.Sources {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// countryHint says what to write for default_country c, a code of no
// country: the United Kingdom's, which people call UK, is GB.
func countryHint(c string) string {
	switch strings.ToUpper(c) {
	case "UK", "GBR", "EN", "ENG":
		return "the United Kingdom's is GB"
	}
	return "write the two letters of ISO 3166 (DK, GB, SE, DE, ...)"
}

// tlsMeant is meant for report.mail.tls, where SSL and SMTPS, as mail
// programs name it, are tls.
func tlsMeant(v string) string {
	if strings.EqualFold(v, "ssl") || strings.EqualFold(v, "smtps") {
		return ": write tls for TLS from the first byte (port 465), or starttls for port 587"
	}
	return meant(v, "starttls", "opportunistic", "tls", "none")
}
