package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/writable"
)

// defaultExamples is where validate looks for example payloads when
// -examples is not given: the repository's own fixtures.
const defaultExamples = "testdata/webhooks"

// cmdValidate checks a configuration and its mappings, runs every mapping
// against the example payloads, and exits non-zero listing every problem;
// it says whether serve could start on the database (checkDatabase).
func cmdValidate(ctx context.Context, c *cli) int {
	fs := c.flags("validate")
	file := fs.String("config", defaultConfig, "configuration file")
	examples := fs.String("examples", defaultExamples,
		"folder of example payloads, one sub-folder per source kind (DIR/eaf/*.json, DIR/lokalebasen/*.json); "+
			"without it, where the working directory has no testdata/webhooks, those the package installs (../share/syncd/webhooks from the binary)")
	offline := fs.Bool("offline", false, "check only the files: do not connect to a PostgreSQL store (e.g. in a package build); "+
		"an SQLite database, a file, is still read (its schema), never written")
	testMail := fs.Bool("mail", false, "also send a test message, with no lead in it, to report.mail.to, trying once, and say what "+
		"the mail server answered (exit 1 refused, 4 not reached or refused for now)")
	if err := parseOnlyFlags(fs, c.args, ""); err != nil {
		return c.flagsStatus(fs, err, validateExits()...)
	}
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "examples" })
	cfg, err := config.Check(*file, c.getenv)
	if err != nil {
		c.configFailed(*file, err)
		if cfg != nil { // the file was read: what it names is checked too
			c.checkMappingsToo(cfg, *examples, given)
		}
		return exitUsage
	}
	if _, err := storeName(cfg); err != nil { // a DSN that does not parse: serve stops at once
		c.errorf("%s: %v", *file, err)
		return exitUsage
	}
	if err := reservedInstance(cfg, nil); err != nil {
		c.errorf("%s: %v", *file, err)
		return exitUsage
	}
	rules, err := loadRules(cfg, targetName(cfg))
	if err != nil {
		return c.rulesFailed(cfg, err)
	}
	checked, ignored, ok := c.checkExamples(cfg, rules, *examples, given)
	if !ok {
		return exitUsage
	}
	// The database first, what it says held back until after the line
	// that says whether the file is ok, which it is only when the database
	// it names is too (store.dsn, data_dir are its).
	stdout, stderr := c.stdout, c.stderr
	var dbLines, dbProblems bytes.Buffer
	c.stdout, c.stderr = &dbLines, &dbProblems
	code, depths := c.checkDatabase(ctx, cfg, *offline)
	c.stdout, c.stderr = stdout, stderr
	verdict := "ok"
	if code != exitOK {
		verdict = "not ok: its database did not pass (said below); the rest passed"
	}
	fmt.Fprintf(c.stdout, "%s: %s (%s, crm %s, %s in %s, %s)\n", *file, verdict, syncd.Counted(len(cfg.Sources), "source", "sources"),
		cfg.CRM.Kind, syncd.Counted(rules.Len(), "mapping rule", "mapping rules"), cfg.Mapping.Dir, checked)
	if n := typedFields(rules.Fields()); n > 0 && valueCheck(rules.Target()) == nil {
		emails := "" // the dry run keys and judges emails as HubSpot, whose mappings it loads
		if rules.Target() == "dryrun" {
			emails = "; emails alone are judged, as HubSpot judges them"
		}
		fmt.Fprintf(c.stdout, "values: not judged by a CRM's rules (crm %s sends nothing%s): the %s the mappings "+
			"declare a type of %s checked against the examples once crm.kind names the CRM\n", cfg.CRM.Kind, emails,
			syncd.Counted(n, "field", "fields"), syncd.Noun(n, "is", "are"))
	}
	next, err := nextReport(cfg, time.Now())
	if err == nil { // the file is valid: its zone and schedule load
		fmt.Fprintln(c.stdout, next)
	}
	dbLines.WriteTo(c.stdout)
	dbProblems.WriteTo(c.stderr)
	for _, w := range waitingForGone(cfg, depths) {
		c.errorf("warning: %s", w)
	}
	for _, w := range dryRunWarnings(ctx, cfg, depths, *offline) {
		c.errorf("warning: %s", w)
	}
	for _, w := range cfg.Warnings {
		c.errorf("warning: %s", w)
	}
	for _, w := range dirsNotWritable(cfg) {
		c.errorf("warning: %s", w)
	}
	for _, w := range otherAgencies(*file, cfg, c.getenv) {
		c.errorf("warning: %s", w)
	}
	if n := agencyUnnamed(*file, cfg, c.getenv); n != "" {
		c.errorf("note: %s", n)
	}
	for _, w := range rules.Warnings() {
		c.errorf("warning: %s", w)
	}
	for _, w := range ignored {
		c.errorf("warning: %s", w)
	}
	if *testMail {
		if mailed := c.testMail(ctx, cfg, next); code == exitOK {
			code = mailed
		}
	}
	return code
}

// checkMappingsToo checks the mappings and the examples of a configuration
// with problems, printing theirs, so that one run lists them all: when the
// settings the mappings load with (mapping.dir, crm.kind, each source's
// kind and default_country) are as the file gives them and valid; else it
// says they were not checked. The database is checked once the
// configuration is valid.
func (c *cli) checkMappingsToo(cfg *config.Config, examples string, given bool) {
	settled := cfg.Settled("mapping", "dir") && cfg.Settled("crm", "kind")
	for _, name := range cfg.SourceNames() {
		settled = settled && cfg.Settled("sources", name, "kind") && cfg.Settled("sources", name, "default_country")
	}
	defer fmt.Fprintln(c.stderr, "syncd validate: the database is checked once the configuration has no problem")
	if !settled {
		fmt.Fprintln(c.stderr, "syncd validate: the mappings were not checked: the settings they are read with "+
			"(mapping.dir, crm.kind, the sources' kind and default_country) have a problem above")
		return
	}
	rules, err := loadRules(cfg, targetName(cfg))
	if err != nil {
		c.rulesFailed(cfg, err)
		return
	}
	if checked, ignored, ok := c.checkExamples(cfg, rules, examples, given); ok {
		fmt.Fprintf(c.stderr, "mappings: %s in %s, %s\n", syncd.Counted(rules.Len(), "rule", "rules"), cfg.Mapping.Dir, checked)
		for _, w := range ignored {
			c.errorf("warning: %s", w)
		}
	}
}

// notYet says when the SQLite database the configuration names is not
// there: serve will create it, and a data_dir that is not the intended
// one shows here before the daemon starts on an empty database. A
// relative data_dir is said to be read from the working directory, and,
// unless offline, a syncd answering at the configuration's address that
// serves another database is named: validate run away from the daemon's
// working directory (data_dir: ./data) looked at a database that is not
// the daemon's, as every command run from there would.
func notYet(ctx context.Context, cfg *config.Config, offline bool) string {
	if cfg.Store.Kind != config.StoreSQLite || existingDB(cfg.DBPath()) == nil {
		return ""
	}
	note := " (not there yet: serve creates it"
	if !filepath.IsAbs(cfg.DataDir) {
		if wd, err := os.Getwd(); err == nil {
			note += fmt.Sprintf("; data_dir %s is relative, read from the working directory %s", cfg.DataDir, wd)
		}
	}
	note += ")"
	if offline {
		return note
	}
	addr := cfg.Listen
	if cfg.Metrics.Listen != "" {
		addr = cfg.Metrics.Listen
	}
	snap, err := scrape(ctx, "http://"+addr+"/metrics")
	if abs, _ := filepath.Abs(cfg.DBPath()); err != nil || snap.Database == "" || snap.Database == abs {
		return note
	}
	return note + fmt.Sprintf("; the syncd at %s serves %s: if that is this configuration's daemon, set data_dir "+
		"(or SYNCD_DATA_DIR, as the systemd unit does) to its directory, or the commands run with this "+
		"configuration find no database", addr, snap.Database)
}

// dirsNotWritable says, of the user validate runs as, where serve would
// need to write and may not: an SQLite database's directory while the
// database is not there yet (serve makes both and stops at start when it
// cannot), and the reports directory (serve warns and goes on; the daily
// report fails at its hour). validate said "ok" and "not there yet: serve
// creates it" of a data directory its user could not make. Of a database
// that is there, what serve run as this user refuses before reading it
// (sqlite.Refused: another user's files or directory of too wide a mode,
// or not this user's to write), which validate said nothing of. Run as
// another user than the service's (root, say), it speaks of that user.
func dirsNotWritable(cfg *config.Config) []string {
	var out []string
	me := writable.UserName(os.Geteuid())
	if cfg.Store.Kind == config.StoreSQLite && existingDB(cfg.DBPath()) != nil {
		if err := writable.Creatable(filepath.Dir(cfg.DBPath())); err != nil {
			out = append(out, fmt.Sprintf("data_dir %s: %v: serve run as %s stops at start", cfg.DataDir, err, me))
		}
	} else if cfg.Store.Kind == config.StoreSQLite {
		if err := sqlite.Refused(cfg.DBPath()); err != nil {
			out = append(out, fmt.Sprintf("data_dir %s: %v: serve run as %s refuses to start (exit 2)", cfg.DataDir, err, me))
		}
	}
	if err := writable.Creatable(cfg.Report.Dir); err != nil {
		out = append(out, fmt.Sprintf("report.dir %s: %v: the daily report made by a syncd run as %s is not written", cfg.Report.Dir, err, me))
	}
	return out
}

// rulesFailed prints why the mapping files did not load and returns the
// exit status: 2 (invalid input) for files with problems, each on a line
// of its own, as every command that loads them says it.
func (c *cli) rulesFailed(cfg *config.Config, err error) int {
	var les mapping.LoadErrors
	if errors.As(err, &les) {
		c.errorf("mappings in %s: %s:\n%v", cfg.Mapping.Dir, syncd.Counted(len(les), "problem", "problems"), les)
		if p := cfg.OtherCRMMappings; p != nil { // the line of the configuration to change
			fmt.Fprintf(c.stderr, "%s\n", p)
		}
		return exitUsage
	}
	return c.fail(err)
}

// installedExamples is where the package installs the example payloads,
// as found from the binary: ../share/syncd/webhooks from its folder
// (/usr/bin/syncd: /usr/share/syncd/webhooks); "" when the binary's path
// is not known or is no installed one's (not in a folder named bin: go
// run's, or one built into /tmp, where "../share" named /share).
func installedExamples() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	if real, err := filepath.EvalSymlinks(exe); err == nil {
		exe = real
	}
	if filepath.Base(filepath.Dir(exe)) != "bin" {
		return ""
	}
	return filepath.Join(filepath.Dir(exe), "..", "share", "syncd", "webhooks")
}

// checkExamples runs the rules on the examples in dir and says what it
// checked, and, as warnings, the example leads of the configuration's
// sender kinds that no rule maps (a when: or an event: that leaves out
// every lead like them: "map cleanly" was said of them). A dir that was
// asked for must hold examples; the default one may be absent, as on a
// server, where those the package installs are checked instead (before,
// a server checked none), or none, which is said.
func (c *cli) checkExamples(cfg *config.Config, rules *mapping.Rules, dir string, asked bool) (string, []string, bool) {
	if _, err := os.Stat(dir); !asked && err != nil {
		inst := installedExamples()
		if inst == "" {
			return fmt.Sprintf("no examples checked: %s not found (a checkout of syncd has them there; a package installs "+
				"them beside an installed syncd, which this one is not): give -examples DIR", dir), nil, true
		}
		if st, err := os.Stat(inst); err != nil || !st.IsDir() {
			return fmt.Sprintf("no examples checked: %s not found, nor %s, where the package installs them: "+
				"a syncd built from source has them in its checkout's testdata/webhooks: copy that folder's eaf and "+
				"lokalebasen there (install guide, step 1), or give -examples DIR", dir, inst), nil, true
		}
		dir = inst
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		why := "a file"
		if err != nil {
			why = "nothing there"
			if wd, werr := os.Getwd(); werr == nil && !filepath.IsAbs(dir) {
				why += ", read from the working directory " + wd
			}
		}
		fmt.Fprintf(c.stderr, "syncd validate: -examples %s: not a folder (%s): give the folder holding "+
			"eaf/*.json and lokalebasen/*.json\n", dir, why)
		return "", nil, false
	}
	checked, leads, errs := rules.CheckExamples(dir, valueCheck(rules.Target()))
	if len(errs) > 0 {
		c.errorf("mappings in %s against %s: %s:\n%v", cfg.Mapping.Dir, dir, syncd.Counted(len(errs), "problem", "problems"),
			errors.Join(errs...))
		return "", nil, false
	}
	var ignored []string
	for _, l := range leads {
		if sourceOfKind(cfg, l.Kind) { // a sender no source is for sends nothing to ignore
			ignored = append(ignored, l.String())
		}
	}
	kinds := make([]string, 0, len(checked))
	for kind := range checked {
		kinds = append(kinds, string(kind))
	}
	sort.Strings(kinds)
	var parts []string
	total := 0
	for _, kind := range kinds {
		if n := checked[syncd.Kind(kind)]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, kind))
			total += n
		}
	}
	if total == 0 {
		fmt.Fprintf(c.stderr, "syncd validate: no examples in %s: expected %s\n", dir, exampleLayout(dir))
		return "", nil, false
	}
	if len(ignored) > 0 {
		return fmt.Sprintf("%s in %s checked: %s; %s among them no rule maps (warning below)", syncd.Counted(total, "example", "examples"),
			dir, strings.Join(parts, ", "), syncd.Counted(len(ignored), "lead", "leads")), ignored, true
	}
	return fmt.Sprintf("%s in %s %s: %s", syncd.Counted(total, "example", "examples"), dir, syncd.Noun(total, "maps cleanly", "map cleanly"),
		strings.Join(parts, ", ")), nil, true
}

// sourceOfKind reports whether a source of the configuration is of kind.
func sourceOfKind(cfg *config.Config, kind syncd.Kind) bool {
	for _, src := range cfg.Sources {
		if syncd.Kind(src.Kind) == kind {
			return true
		}
	}
	return false
}

// typedFields counts the fields whose CRM type the mappings declare.
func typedFields(fs []syncd.FieldSpec) int {
	n := 0
	for _, f := range fs {
		if f.Type != "" {
			n++
		}
	}
	return n
}

// valueCheck is how the target CRM judges a value of a declared type;
// nil for one that judges none (a dry run).
func valueCheck(target string) mapping.ValueCheck {
	switch target {
	case hubspot.Name:
		return func(typ, v string, _ map[string]string) string { return hubspot.ValueProblem(typ, v) }
	case pipedrive.Name:
		return pipedrive.ValueProblem
	}
	return nil
}

// exampleLayout says where examples are looked for under dir: a folder
// per sender kind, in alphabetical order.
func exampleLayout(dir string) string {
	kinds := sender.Kinds()
	sort.Strings(kinds)
	var globs []string
	for _, k := range kinds {
		globs = append(globs, filepath.Join(dir, k, "*.json"))
	}
	return strings.Join(globs, " or ")
}
