package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// An integrator serving several agencies from one server gives each its
// own file beside the others, /etc/syncd/NAME.yaml (syncd@NAME), made
// by copying one. A setting that must differ between agencies and was
// left as the copied file had it passed validate: two daemons on one
// port or database were refused only as the second started, and a CRM
// account pin or report recipients left as the other agency's were never
// said: the new agency's leads went into the other's CRM account (with a
// token copied too), its report to the other's people. otherAgencies
// compares the file with the others beside it, as validate runs.

// otherAgencies are the warnings of what cfg, from file, shares with the
// other configuration files in its directory that load (a file that does
// not is passed over: it is not a running agency's): an address, the
// database, the reports directory, the CRM account it is pinned to, a
// source's token written in the file, the same report recipients, or the
// same agency name (agency:, in any case). Each names both files.
// Instances of one PostgreSQL database are one installation, which shares
// its store and reports by design: of those, the addresses alone. The
// settings it compares, and why it compares no other, are the table
// agencySettings in otheragencies_internal_test.go, which a new setting
// fails until it is classified.
func otherAgencies(file string, cfg *config.Config, env config.Env) []string {
	var warnings []string
	for name, other := range otherConfigs(file, env) {
		if cfg.Agency != "" && strings.EqualFold(cfg.Agency, other.Agency) {
			warnings = append(warnings, fmt.Sprintf("agency %q of %s is also %s's: the two agencies' daily reports and "+
				"syncd status name the same agency: give each file its own agency's name", cfg.Agency, abs(file), name))
		}
		for _, what := range sharedSettings(cfg, other) {
			warnings = append(warnings, fmt.Sprintf("%s is also %s's: %s", what.setting, name, what.why))
		}
	}
	return warnings
}

// agencyUnnamed is the one line validate adds where cfg, from file, names
// no agency while other agencies' files that load are beside it: their
// daily reports and syncd status read alike, the agency nowhere; "" when
// file names its agency or is alone. Validate alone says it: the daemon's
// log at each start is no place for a suggestion.
func agencyUnnamed(file string, cfg *config.Config, env config.Env) string {
	if cfg.Agency != "" {
		return ""
	}
	var named, unnamed []string
	for name, other := range otherConfigs(file, env) {
		if other.Agency != "" {
			named = append(named, filepath.Base(name))
		} else {
			unnamed = append(unnamed, filepath.Base(name))
		}
	}
	set := "set agency: \"Agency name\" in " + filepath.Base(file)
	switch {
	case len(named) == 1:
		return fmt.Sprintf("%s names no agency (agency:), where %s beside it does: its daily report and syncd status "+
			"name none: %s", abs(file), named[0], set)
	case len(named) > 1:
		return fmt.Sprintf("%s names no agency (agency:), where %s beside it do: its daily report and syncd status "+
			"name none: %s", abs(file), strings.Join(named, ", "), set)
	case len(unnamed) > 0:
		return fmt.Sprintf("%s and the %s beside it (%s) name no agency (agency:): their daily reports and syncd "+
			"status read alike, the agency nowhere: %s and in each of them", abs(file),
			agencyFiles(len(unnamed)), strings.Join(unnamed, ", "), set)
	}
	return ""
}

// agencyFiles is n agencies' files, as agencyUnnamed counts them.
func agencyFiles(n int) string {
	if n == 1 {
		return "agency's file"
	}
	return syncd.Counted(n, "agency's file", "agencies' files")
}

// otherConfigs yields the other configuration files in file's directory
// that load (without their secrets), by name, in name order. Each is read
// as its own daemon reads it, without this one's SYNCD_DATA_DIR and
// SYNCD_LISTEN: syncd.service's unit sets the first, and its validate
// (run so by the install guide) or start took every agency's file beside
// it for one on its database.
func otherConfigs(file string, env config.Env) func(yield func(string, *config.Config) bool) {
	own := func(name string) string {
		if name == "SYNCD_DATA_DIR" || name == "SYNCD_LISTEN" {
			return ""
		}
		return env(name)
	}
	return func(yield func(string, *config.Config) bool) {
		self := abs(file)
		names, _ := filepath.Glob(filepath.Join(filepath.Dir(self), "*.yaml"))
		for _, name := range names {
			if name == self || sameFile(name, self) {
				continue
			}
			if other, err := config.LoadWithoutSecrets(name, own); err == nil && !yield(name, other) {
				return
			}
		}
	}
}

// saidDatabase says on stderr, in one line, the database a listing (syncd
// events list, outbox list) or a show (events show, outbox show) of file
// reads, as status names it, where it
// may not be the one meant: another agency's file is beside file (a
// -config for the wrong agency read that agency's leads without a word),
// or SYNCD_DATA_DIR overrides file's data_dir (loadConfig's warning names
// the database already where the file's data_dir holds one). Nothing on
// stdout, which scripts parse, and nothing otherwise: a cron job's listing
// on a server of one agency would mail the line every run.
func (c *cli) saidDatabase(file string, cfg *config.Config) {
	if cfg.FileDataDir != "" && holdsDatabase(cfg.FileDataDir) {
		return
	}
	db, err := storeName(cfg)
	if err != nil {
		return
	}
	switch {
	case cfg.FileDataDir != "":
		c.errorf("database %s (SYNCD_DATA_DIR=%s overrides data_dir %s of %s)", db, c.getenv("SYNCD_DATA_DIR"), cfg.FileDataDir, abs(file))
	case hasOtherConfigs(file, c.getenv):
		agency := ""
		if cfg.Agency != "" {
			agency = ", agency " + cfg.Agency
		}
		c.errorf("database %s, of %s%s (other agencies' files are beside it)", db, abs(file), agency)
	}
}

// hasOtherConfigs reports whether another configuration file that loads
// is beside file (otherConfigs).
func hasOtherConfigs(file string, env config.Env) bool {
	for range otherConfigs(file, env) {
		return true
	}
	return false
}

// addressOf names the other configuration file beside file whose listen
// or metrics.listen is addr, for serve refused that address: "; it is
// FILE's listen: that agency's daemon, most likely", or "" when none
// does.
func addressOf(file, addr string, env config.Env) string {
	for name, other := range otherConfigs(file, env) {
		switch addr {
		case other.Listen:
			return "; it is " + name + "'s listen: that agency's daemon, most likely"
		case other.Metrics.Listen:
			return "; it is " + name + "'s metrics.listen: that agency's daemon, most likely"
		}
	}
	return ""
}

// shared is one setting two agencies' files have alike, and what that does.
type shared struct{ setting, why string }

// sharedSettings are the settings a and b have alike that one agency's
// daemon must not share with another's.
func sharedSettings(a, b *config.Config) []shared {
	var out []shared
	addrs := func(c *config.Config) []string {
		return slices.DeleteFunc([]string{c.Listen, c.Metrics.Listen}, func(s string) bool { return s == "" || strings.HasSuffix(s, ":0") })
	}
	for _, addr := range addrs(a) {
		if slices.Contains(addrs(b), addr) {
			out = append(out, shared{"the address " + addr, "the daemon started second cannot listen (address already in use): give each agency a port of its own"})
		}
	}
	if a.Store.Kind != config.StoreSQLite || b.Store.Kind != config.StoreSQLite {
		return out
	}
	if da, db := abs(a.DBPath()), abs(b.DBPath()); da == db {
		out = append(out, shared{"the database " + da + " (data_dir)", "the two agencies' leads would be one database's: give each its own data_dir (/var/lib/syncd/NAME)"})
	} else if ra := abs(a.Report.Dir); ra == abs(b.Report.Dir) {
		out = append(out, shared{"the reports directory " + ra + " (report.dir)", "each daemon writes its leads-DAY.xlsx there: leave report.dir unset, its default <data_dir>/reports is each agency's own"})
	}
	if a.CRM.Kind == b.CRM.Kind {
		pin, key := "", ""
		switch a.CRM.Kind {
		case "hubspot":
			pin, key = a.CRM.HubSpot.HubID, "crm.hubspot.hub_id"
			if pin != b.CRM.HubSpot.HubID {
				pin = ""
			}
		case "pipedrive":
			pin, key = a.CRM.Pipedrive.CompanyID, "crm.pipedrive.company_id"
			if pin != b.CRM.Pipedrive.CompanyID {
				pin = ""
			}
		}
		if pin != "" {
			out = append(out, shared{key + " " + pin, "the two agencies' leads go into one " + a.CRM.Kind +
				" account where both tokens are that account's: pin each agency's own (syncd crm check, run with its token, prints it)"})
		}
	}
	tokens := map[string]string{}
	for _, name := range b.SourceNames() {
		for _, t := range literalTokens(b.Sources[name]) {
			tokens[t] = name
		}
	}
	for _, name := range a.SourceNames() {
		for i, t := range literalTokens(a.Sources[name]) {
			if other, ok := tokens[t]; ok && t != "" && !strings.Contains(strings.ToLower(t), "change-me") {
				out = append(out, shared{fmt.Sprintf("sources.%s.tokens entry %d (in its sources.%s.tokens)", name, i+1, other),
					"a sender given it posts to either agency's syncd, whichever its URL reaches: give each agency's senders tokens of their own"})
			}
		}
	}
	if to := sortedLower(a.Report.Mail.To); len(to) > 0 && slices.Equal(to, sortedLower(b.Report.Mail.To)) {
		out = append(out, shared{"report.mail.to (every recipient)", "each agency's daily report, with its leads, goes to the other's people: give each agency its own recipients"})
	}
	return out
}

// literalTokens are the tokens src has written in its file, not those read
// from token_files (not read here: another agency's credentials).
func literalTokens(src config.Source) []string {
	return src.Tokens[:max(0, len(src.Tokens)-len(src.TokenFiles))]
}

// sortedLower is addrs in lower case, sorted: one set of recipients
// written in another order or case is the same.
func sortedLower(addrs []string) []string {
	out := make([]string, 0, len(addrs))
	for _, a := range addrs {
		out = append(out, strings.ToLower(strings.TrimSpace(a)))
	}
	slices.Sort(out)
	return out
}
