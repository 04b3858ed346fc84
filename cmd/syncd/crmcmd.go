package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/suggest"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// cmdCRM checks or sets up the CRM account for the mappings:
// crm check (read-only; exit 2 when a problem is found) and
// crm setup [-dry-run] (creates what is missing and can be created);
// crm forget-links (the agency moved to another account: crmmove.go).
func cmdCRM(ctx context.Context, c *cli) int {
	subs := []string{"check", "setup", "forget-links"}
	c.args = subcommandFirst(c.args, func(w string) bool { return slices.Contains(subs, w) })
	if len(c.args) == 0 || !slices.Contains(subs, c.args[0]) {
		return c.crmUsage(subs)
	}
	sub := c.args[0]
	c.name = "crm " + sub // its errors name the subcommand too: "syncd crm check: …"
	fs := c.flags(c.name)
	file := fs.String("config", defaultConfig, "configuration file")
	dry, exits := false, map[string][]string{"check": crmCheckExits(), "setup": crmSetupExits(), "forget-links": forgetLinksExits()}[sub]
	if sub == "setup" {
		fs.BoolVar(&dry, "dry-run", false, "say what would be created; create nothing")
	}
	if err := parseOnlyFlags(fs, c.args[1:], ""); err != nil {
		return c.flagsStatus(fs, err, exits...)
	}
	if sub == "forget-links" {
		return c.crmForgetLinks(ctx, *file)
	}
	cfg, ok := c.loadConfig(*file)
	if !ok {
		return exitUsage
	}
	if r, ok, _ := daemonOn(*file, cfg); ok && sameConfig(r.Config, *file) { // not another file's daemon (crmdaemon.go)
		c.stdout = asStarted(c.stdout, r) // a daemon started by hand: syncd reload, not systemctl
	}
	// The mappings first: setup refusing them must not have made the
	// database (TestCRMSetupWithMappingsOfAnotherCRMMakesNoDatabase).
	rules, err := loadRules(cfg, targetName(cfg))
	if err != nil {
		return c.rulesFailed(cfg, err)
	}
	db, unkept, closeDB := c.crmStore(ctx, cfg, sub, dry)
	defer closeDB()
	adapter := newCRM(cfg, db, commandLogger(c.stderr, "crm "+sub, "warn", clockOf(cfg)), &unanswered{ctx: ctx, w: c.stderr, who: c.who(), timeout: cfg.CRM.Timeout})
	checker, ok := adapter.(account)
	if !ok {
		what := map[string]string{"check": "check", "setup": "set up", "forget-links": "forget links in"}[sub]
		fmt.Fprintf(c.stdout, "crm.kind %s: no CRM account to %s (crm.kind hubspot or pipedrive is a real one)\n", cfg.CRM.Kind, what)
		return exitOK
	}
	// Its last line and the pin's check before it creates anything read
	// the account once (they read it twice, a slow CRM waited for twice);
	// so do the check's first line, the pin's row and its findings.
	ctx = crm.ReadAccountOnce(ctx)
	if sub == "setup" {
		elsewhere := c.idsElsewhere(ctx, cfg, adapter, dry)
		return c.crmSetup(ctx, checker, rules.Fields(), dry, elsewhere, setupCheckedWhen(*file, cfg))
	}
	return c.crmCheck(ctx, cfg, adapter, checker, rules.Fields(), unkept)
}

// crmUsage says what syncd crm takes, on stdout when asked for help (exit
// 0), else with what was wrong on stderr (exit 2).
func (c *cli) crmUsage(subs []string) int {
	w, code := c.stderr, exitUsage
	switch word := firstWord(c.args); {
	case len(c.args) > 0 && slices.Contains([]string{"-h", "-help", "--help", "help"}, c.args[0]):
		w, code = c.stdout, exitOK
	case word == "":
		fmt.Fprintln(w, "syncd crm: no subcommand given: check, setup or forget-links")
	default:
		meant := ": check, setup or forget-links"
		if m := suggest.Nearest(word, subs); m != "" {
			meant = fmt.Sprintf(": did you mean %q? (check, setup or forget-links)", m)
		}
		fmt.Fprintf(w, "syncd crm: unknown subcommand %q%s\n", word, meant)
	}
	if code != exitOK {
		fmt.Fprintln(w)
	}
	fmt.Fprint(w, crmUsageText)
	return code
}

// crmCheck is syncd crm check: the account syncd sends to, then what it
// lacks of what fields (the mappings') need.
func (c *cli) crmCheck(ctx context.Context, cfg *config.Config, adapter syncd.CRM, checker account, fields []syncd.FieldSpec, unkept *unkeptKeys) int {
	restored := c.pinAsTheDaemonDoes(ctx, cfg, adapter) // the daemon sends only there: so does the check
	var accErr error
	if n, ok := adapter.(accountNamer); ok {
		var acc crm.Account
		if acc, accErr = c.printAccount(ctx, cfg, adapter.Name(), n, restored); accErr == nil && restored == "" {
			c.printLinkedAccount(ctx, cfg, adapter.Name(), acc)
		}
	}
	findings, err := checker.Check(ctx, fields)
	if ctx.Err() != nil { // interrupted: what the reads cut short found is no finding
		return c.fail(ctx.Err())
	}
	if err != nil {
		return c.fail(err)
	}
	findings = accountUnread(findings, adapter, accErr, cfg)
	writeFindings(c.stdout, adapter.Name(), findings)
	unkept.say(c)
	c.printLeadsLeftEarlier(ctx, cfg) // a word, not a finding: the exit status is the account's
	switch _, _, unread := checkOutcome(findings, nil); {
	case unread: // the check could not run to its end: nothing known wrong
		return exitFailure
	case syncd.Failed(findings):
		return exitUsage
	}
	return exitOK
}

// printAccount prints crm check's first line: the account the token
// belongs to and whether it is the pinned one; unpinned, how to pin it.
// A token of another account than the pinned one is the check's finding.
// restored is the account a restored backup pins (pinAsTheDaemonDoes), "" for
// none: a token of another account is the check's finding too.
func (c *cli) printAccount(ctx context.Context, cfg *config.Config, name string, n accountNamer, restored string) (crm.Account, error) {
	acc, err := n.Account(ctx)
	if err != nil {
		if ctx.Err() == nil { // else interrupted: the check says so
			problem, _ := readFailure(n, err)
			fmt.Fprintf(c.stdout, "%s account: not known (%s)\n", name, problem)
		}
		return acc, err
	}
	key, want := pinnedAccount(cfg)
	switch {
	case restored != "" && restored != acc.ID: // else as without the restore: pinned there, or how to pin it
		fmt.Fprintf(c.stdout, "%s account: %s: NOT the account the restored backup's CRM ids were made in (%s %s)\n",
			name, acc, acc.IDName, restored)
	case want == "":
		fmt.Fprintf(c.stdout, "%s account: %s: is this the client's account the leads should go to? If so, pin it (%s: %s)\n",
			name, acc, key, acc.ID)
	case want == acc.ID:
		fmt.Fprintf(c.stdout, "%s account: %s: the pinned account (%s)\n", name, acc, key)
	default:
		fmt.Fprintf(c.stdout, "%s account: %s: NOT the pinned account (%s: %s)\n", name, acc, key, want)
	}
	if acc.ForTests() {
		fmt.Fprintf(c.stdout, "%s account: %s\n", name, testAccountText(acc))
	}
	return acc, nil
}

// readFailure says plainly why a read of the CRM failed, and what to do,
// as the adapter words it (crm.ReadFailure).
func readFailure(adapter any, err error) (problem, fix string) {
	if t, ok := adapter.(interface {
		ReadFailure(error) (string, string)
	}); ok {
		return t.ReadFailure(err)
	}
	return crm.ReadFailure("the CRM", "the CRM's base_url", err)
}

// accountUnread adds crm check's row for an account that could not be
// read (accErr) to a check that otherwise passed:
// before, with nothing pinned, the check ended "ok, the account is ready
// for the mappings", exit 0, while its first line, the one the operator
// is to confirm the client's account by, said "not known". Whose account
// the leads would go to is part of being ready: the check could not run
// to its end (exit 1).
func accountUnread(findings []syncd.Finding, adapter any, accErr error, cfg *config.Config) []syncd.Finding {
	if accErr == nil || syncd.Failed(findings) { // a pinned account's row, a refused token, the reads that failed say it
		return findings
	}
	problem, fix := readFailure(adapter, accErr)
	key, _ := pinnedAccount(cfg)
	return append(findings, syncd.Finding{Severity: syncd.SevError, Object: "account", Name: "token",
		Problem: "the account the token belongs to could not be read (" + problem + "): whether it is the client's is not known",
		Fix:     fix + ", then pin the account its first line names (" + key + ")",
		Unread:  true})
}

// pinAsTheDaemonDoes pins adapter to the account its CRM ids were made in, as
// the daemon and syncd sync do (pinRecorded), reading the database
// read-only, so that the check's findings say what they will do. On a
// restored backup it returns that account's id when it differs from the
// configuration's pin, else "" (an agency that moved is told by
// printLinkedAccount). A database not made yet, or unreadable, pins
// nothing.
func (c *cli) pinAsTheDaemonDoes(ctx context.Context, cfg *config.Config, adapter syncd.CRM) string {
	b, err := c.fieldKeyStore(ctx, cfg, storeHooks{ReadOnly: true})
	if err != nil || b == nil {
		return ""
	}
	defer b.Close()
	was := pinRecorded(ctx, b, adapter)
	if taken, _, err := restoreState(ctx, b); was == "" || err != nil || taken.IsZero() {
		return ""
	}
	return was
}

// pinnedAccount is the configuration key that pins the CRM account and
// the id it pins ("" when none).
func pinnedAccount(cfg *config.Config) (key, want string) {
	if cfg.CRM.Kind == pipedrive.Name {
		return "crm.pipedrive.company_id", cfg.CRM.Pipedrive.CompanyID
	}
	return "crm.hubspot.hub_id", cfg.CRM.HubSpot.HubID
}

// accountNamer is a CRM adapter that can name the account its token
// belongs to (an agency may paste another client's token).
type accountNamer interface {
	Account(ctx context.Context) (crm.Account, error)
}

// account is a CRM adapter that can check and set up its account.
type account interface {
	syncd.Checker
	syncd.Setupper
}

// crmSetup is `syncd crm setup`: it creates what specs need and prints
// what it did; elsewhere, when not "", is its last line (idsElsewhere);
// checked, when the daemon checks the account again (setupCheckedWhen).
func (c *cli) crmSetup(ctx context.Context, a account, specs []syncd.FieldSpec, dry bool, elsewhere, checked string) int {
	acts, err := a.Setup(ctx, specs, dry)
	if len(acts) > 0 { // what was done before a failure, too
		tw := newTable(c.stdout)
		fmt.Fprintln(tw, "OBJECT\tNAME\tDONE\tDETAIL")
		for _, act := range acts {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", act.Object, act.Name, act.What, act.Detail)
		}
		_ = tw.Flush()
	}
	if ctx.Err() != nil { // interrupted: the error is the cut-short call's
		return c.fail(ctx.Err())
	}
	if ce := (*syncd.CRMError)(nil); errors.As(err, &ce) && ce.Code == crm.CodeWrongAccount {
		// Another account than the pinned one: running it again changes
		// nothing (it exited 1, "run it again"); the token or the pin is
		// a person's to put right, as crm check's exit 2 says.
		c.errorf("%s", ce.Message)
		return exitUsage
	}
	if err != nil {
		if way := setupWayOut(a, err); way != "" { // it names the answer: the error as Go makes it says no more
			fmt.Fprintln(c.stderr, way)
			return exitStatus(err)
		}
		return c.fail(err)
	}
	cannot := 0
	for _, act := range acts {
		if act.What == "cannot create" || act.What == "cannot fix" {
			cannot++
		}
	}
	switch {
	case cannot > 0 && dry:
		fmt.Fprintf(c.stdout, "dry run: nothing was changed; %s above syncd cannot create or fix: do what each DETAIL says\n", syncd.Counted(cannot, "row", "rows"))
	case cannot > 0:
		// Not done: a script's `crm setup && systemctl start syncd`
		// must not start a daemon whose adapter pauses at its first lead.
		fmt.Fprintf(c.stdout, "not done: %s above syncd cannot create or fix: do what each DETAIL says, "+
			"then run `syncd crm check`\n", syncd.Counted(cannot, "row", "rows"))
		if elsewhere != "" {
			fmt.Fprintln(c.stdout, elsewhere)
		}
		return exitUsage
	case dry:
		fmt.Fprintln(c.stdout, "dry run: nothing was changed")
	case elsewhere == "":
		fmt.Fprintln(c.stdout, "done: run `syncd crm check` to see whether anything is left to do by hand; "+checked)
	default:
		fmt.Fprintln(c.stdout, "done")
	}
	if elsewhere != "" {
		fmt.Fprintln(c.stdout, elsewhere)
	}
	return exitOK
}

// idsElsewhere is crm setup's last line when the token belongs to another
// account than the one syncd's CRM ids were made in, "" otherwise. syncd
// sends nothing there until `crm forget-links` records it (pinRecorded),
// and `crm check` fails there until then; setup creates what is missing
// all the same, since a move's way out runs it before forget-links and
// properties and fields hold no lead (a pinned account refuses it, in the
// adapter). A token pasted from another client's account is told so here.
func (c *cli) idsElsewhere(ctx context.Context, cfg *config.Config, adapter syncd.CRM, dry bool) string {
	n, ok := adapter.(accountNamer)
	if !ok {
		return ""
	}
	b, err := c.fieldKeyStore(ctx, cfg, storeHooks{ReadOnly: true})
	if err != nil || b == nil {
		return ""
	}
	defer b.Close()
	was, ok, err := b.StateValue(ctx, accountStateName(adapter.Name()))
	if err != nil || !ok || was == "" {
		return ""
	}
	acc, err := n.Account(ctx)
	if err != nil || acc.ID == was {
		return ""
	}
	fix := "if the agency moved to it, stop syncd and run `syncd crm forget-links`, then `syncd crm check`, then start syncd"
	if taken, _, err := restoreState(ctx, b); err == nil && !taken.IsZero() {
		fix = restoredAccountFix
	}
	other := "if the token is another client's, put the right one, pin the account, and delete there what setup created above"
	if dry {
		other = "if the token is another client's, put the right one and pin the account before setup creates anything there"
	}
	return fmt.Sprintf("%s account: %s: NOT the account the CRM ids syncd holds were made in (%s %s): no lead goes there until "+
		"`syncd crm forget-links` records it; %s; %s", adapter.Name(), acc, acc.IDName, was, fix, other)
}

// writeFindings prints one table row per finding, with its fix.
func writeFindings(w io.Writer, name string, fs []syncd.Finding) {
	errs, warns, unread := 0, 0, 0
	for _, f := range fs {
		switch {
		case f.Severity == syncd.SevError && f.Unread:
			unread++
		case f.Severity == syncd.SevError:
			errs++
		default:
			warns++
		}
	}
	if len(fs) > 0 {
		tw := newTable(w)
		fmt.Fprintln(tw, "SEVERITY\tOBJECT\tNAME\tPROBLEM\tFIX")
		for _, f := range fs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.Severity, f.Object, f.Name, f.Problem, f.Fix)
		}
		_ = tw.Flush()
	}
	again := ""
	if unread > 0 {
		again = fmt.Sprintf("; %s failed: run the check again once the CRM answers", syncd.Counted(unread, "read", "reads"))
	}
	switch {
	case errs > 0:
		fmt.Fprintf(w, "%s: %s, %s: the account is not ready for the mappings%s\n", name,
			syncd.Counted(errs, "problem", "problems"), syncd.Counted(warns, "warning", "warnings"), again)
	case unread > 0:
		fmt.Fprintf(w, "%s: the check could not read the account (%s failed): whether it is ready for the mappings is not known; "+
			"run the check again once the CRM answers\n", name, syncd.Counted(unread, "read", "reads"))
	default:
		fmt.Fprintf(w, "%s: ok, the account is ready for the mappings (%s)\n", name, syncd.Counted(warns, "warning", "warnings"))
	}
}

// checkState is the last check's outcome as kept in the database, for
// `syncd status` when the daemon is not running.
type checkState struct {
	// At is when it ran, on the store's clock (ServerTime): before, on
	// the sync leader's, so a report made on a host whose clock was right
	// said a check failed since a time to come.
	At       string `json:"at"`
	Problems int    `json:"problems"` // -1: the check could not run
	Summary  string `json:"summary"`
	// ReadsFailed says the reads that failed in a check that found
	// problems besides (Summary names those only), "" when none did.
	ReadsFailed string `json:"reads_failed,omitempty"`
}

// at is when the check ran, on this host's clock (db's HostTime); zero
// when not recorded.
func (st checkState) at(db interface{ HostTime(time.Time) time.Time }) time.Time {
	t, err := time.Parse(time.RFC3339, st.At)
	if err != nil {
		return time.Time{}
	}
	return db.HostTime(t)
}

func checkStateName(target string) string { return "crm_check:" + target }

// summary is a one-line account of the errors found, for alarms.
func summary(fs []syncd.Finding) string {
	return summaryOf(fs, func(f syncd.Finding) bool { return f.Severity == syncd.SevError })
}

// summaryOf is a one-line account of the findings that have.
func summaryOf(fs []syncd.Finding, have func(syncd.Finding) bool) string {
	var parts []string
	for _, f := range fs {
		switch {
		case !have(f):
		case f.Object == f.Name:
			parts = append(parts, f.Name+": "+f.Problem)
		default:
			parts = append(parts, f.Object+" "+f.Name+": "+f.Problem)
		}
	}
	if len(parts) > 3 {
		parts = append(parts[:3], fmt.Sprintf("and %d more", len(parts)-3))
	}
	return strings.Join(parts, "; ")
}

// errCheckFailed is the Check error the syncer gets while the account is
// not ready.
var errCheckFailed = errors.New("crm check failed")

// mappedFields are what the mappings in use write (the reloaded ones after
// a SIGHUP): the syncer's probe checks the account against them, as
// checkAccount does.
func (d *daemon) mappedFields() []syncd.FieldSpec { return d.rules.Load().Fields() }

// checkAccount runs the account check for the daemon: it records the
// outcome (metrics, the database for status and the report) and logs the
// alarm; it returns nil when the check passed.
func (d *daemon) checkAccount(ctx context.Context) error {
	a, ok := d.adapter.(account)
	if !ok {
		return nil
	}
	if r, ok := d.adapter.(interface{ Resolve(context.Context) error }); ok {
		if err := r.Resolve(ctx); err != nil {
			d.log.Warn().Err(err).Msg("crm: resolve fields and stages")
		}
	}
	fs, err := a.Check(ctx, d.mappedFields())
	if ctx.Err() != nil { // the daemon stops: a check cut short found nothing wrong
		return ctx.Err()
	}
	st, again, unread := checkOutcome(fs, err)
	st.At = d.db.ServerTime(time.Now()).UTC().Format(time.RFC3339)
	d.metrics.CRMChecked(d.adapter.Name(), st.Problems)
	news := d.checked.record(time.Now(), st.Problems != 0, again, st.Summary)
	if b, jerr := json.Marshal(st); jerr == nil {
		if serr := d.db.SetStateValue(context.WithoutCancel(ctx), checkStateName(d.adapter.Name()), string(b)); serr != nil {
			d.log.Error().Err(serr).Msg("record crm check")
		}
	}
	acct, acc := d.accountFields(ctx)
	d.sayAccountMoved(ctx, acc)
	if acc.ForTests() && d.checked.newTestAccount(acc.ID) {
		d.log.Warn().Str("crm", d.adapter.Name()).Str("account_id", acc.ID).Str("account_type", acc.Type).
			Msg("crm account for tests: " + testAccountText(acc) + " (then reload)")
	}
	if st.Problems == 0 {
		d.log.Info().Str("crm", d.adapter.Name()).Func(acct).Msg("crm check passed")
		d.sayCheckWarnings(fs, again)
		return nil
	}
	d.sayCheckFailed(st, unread, news, acct)
	d.sayCheckWarnings(fs, again)
	if st.Problems < 0 { // its reads failed: nothing is known wrong with the account
		return fmt.Errorf("%w: %w: %s", errCheckFailed, syncer.ErrCheckUnread, st.Summary)
	}
	return fmt.Errorf("%w: %s", errCheckFailed, st.Summary)
}

// accountFields names, in the check's log line, the CRM account the
// token belongs to: its id and domain (no personal data), or that it is
// not known; acc is the account, zero when not known.
func (d *daemon) accountFields(ctx context.Context) (fields func(*zerolog.Event), acc crm.Account) {
	n, ok := d.adapter.(accountNamer)
	if !ok {
		return func(*zerolog.Event) {}, acc
	}
	acc, err := n.Account(ctx)
	if err != nil {
		return func(e *zerolog.Event) { e.Str("account", "not known") }, crm.Account{}
	}
	return func(e *zerolog.Event) { e.Str("account_id", acc.ID).Str("account_domain", acc.Domain) }, acc
}

// tokenSetter is a CRM adapter that takes a new token while it runs.
type tokenSetter interface{ SetToken(string) }

// reloadToken hands the token and the pinned account of a reloaded
// configuration to the CRM adapter. A new token is the operator's fix for
// one the CRM rejected, so a pause is lifted at once and the leads that
// waited go out (were the pause for another reason, the first call pauses
// again); a new pin is the fix for a mistyped one (reloadPin). It returns
// the configuration to compare cfg with for settings that need a restart:
// the one started with, its tokens and pin as now held.
func (d *daemon) reloadToken(ctx context.Context, cfg *config.Config) *config.Config {
	ts, ok := d.adapter.(tokenSetter)
	if !ok || cfg.CRM.Kind != d.cfg.CRM.Kind {
		return d.cfg
	}
	held := *d.cfg
	held.CRM.HubSpot.Token, held.CRM.HubSpot.TokenFile = cfg.CRM.HubSpot.Token, cfg.CRM.HubSpot.TokenFile
	held.CRM.Pipedrive.Token, held.CRM.Pipedrive.TokenFile = cfg.CRM.Pipedrive.Token, cfg.CRM.Pipedrive.TokenFile
	if crmToken(cfg) != d.crmToken {
		d.crmToken = crmToken(cfg)
		ts.SetToken(d.crmToken)
		d.log.Info().Str("crm", d.adapter.Name()).Msg("crm token reloaded")
		go d.liftPause(ctx, "the token was reloaded")
	}
	if d.reloadPin(ctx, cfg) {
		held.CRM.HubSpot.HubID, held.CRM.Pipedrive.CompanyID = cfg.CRM.HubSpot.HubID, cfg.CRM.Pipedrive.CompanyID
	}
	return &held
}

// pinHolder is a CRM adapter whose account pin a reload may change.
type pinHolder interface{ Pin() *crm.Pin }

// reloadPin hands the pinned account of a reloaded configuration to the
// CRM adapter, and reports whether it could. A changed pin is read again
// at once; when the token belongs to it, a pause is lifted (were it for
// another reason, the first call pauses again) and the leads that waited
// go out.
func (d *daemon) reloadPin(ctx context.Context, cfg *config.Config) bool {
	h, ok := d.adapter.(pinHolder)
	if !ok {
		return false
	}
	key, want := pinnedAccount(cfg)
	if want == d.crmPin {
		return true
	}
	d.crmPin = want
	h.Pin().SetWant(want)
	d.log.Info().Str("crm", d.adapter.Name()).Str("pin", key+": "+want).Msg("crm account pin reloaded")
	go func() {
		if err := h.Pin().Verify(ctx); err != nil {
			d.log.Warn().Err(err).Msg("crm account pin reloaded: the token does not belong to it")
			return
		}
		d.liftPause(ctx, "the pinned account was reloaded and the token belongs to it")
	}()
	return true
}

// crmToken is the token cfg gives the CRM of its kind.
func crmToken(cfg *config.Config) string {
	if cfg.CRM.Kind == pipedrive.Name {
		return cfg.CRM.Pipedrive.Token
	}
	return cfg.CRM.HubSpot.Token
}

// startCheck is the account check at the daemon's start. A pass lifts a
// pause kept from before the restart (a rejected token since replaced,
// say): the check's reads have just gone through with the configured
// token, so the rest of the pause would only hold the leads back. kept is
// that pause's end as read before the syncer started (keptPause): a pause
// the syncer makes while the check reads (a write refused) is news the
// check's reads do not answer, and stays.
func (d *daemon) startCheck(ctx context.Context, kept time.Time) {
	if d.checkAccount(ctx) == nil && !kept.IsZero() {
		d.liftPauseIf(ctx, "the crm check at start passed", kept)
	}
	d.suggestPin(ctx)
}

// keptPause is the end of the adapter's stored pause, or zero when none
// holds: read at start before the syncer runs, for startCheck.
func (d *daemon) keptPause(ctx context.Context) time.Time {
	p, err := d.db.AdapterPause(ctx, d.adapter.Name())
	if err != nil || !p.Until.After(time.Now()) {
		return time.Time{}
	}
	return p.Until
}

// suggestPin logs at start, at info, how to pin the CRM account when none
// is pinned: the account's id and the key to write it in.
func (d *daemon) suggestPin(ctx context.Context) {
	n, ok := d.adapter.(accountNamer)
	key, want := pinnedAccount(d.cfg)
	if !ok || want != "" {
		return
	}
	if acc, err := n.Account(ctx); err == nil && acc.ID != "" {
		d.log.Info().Str("crm", d.adapter.Name()).Str("pin", key+": "+acc.ID).
			Msg("crm account not pinned: write the pin field's key and value into the configuration, so that a token of another client's account sends nothing there")
	}
}

// liftPause ends the adapter's pause, if any, and sends what waited.
func (d *daemon) liftPause(ctx context.Context, why string) {
	d.liftPauseIf(ctx, why, time.Time{})
}

// liftPauseIf is liftPause for the pause ending at only, if not zero: one
// made since (with another end) is left.
func (d *daemon) liftPauseIf(ctx context.Context, why string, only time.Time) {
	p, err := d.db.AdapterPause(ctx, d.adapter.Name())
	if err != nil || !p.Until.After(time.Now()) || !only.IsZero() && !p.Until.Equal(only) {
		return
	}
	if err := d.syncer.Resume(ctx); err != nil {
		d.log.Error().Err(err).Msg("lift the crm pause")
		return
	}
	d.log.Info().Str("crm", d.adapter.Name()).Str("why", why).Msg("crm pause lifted")
	d.syncer.Nudge()
}

// lastCheck reads the last recorded check for status and the report.
func lastCheck(ctx context.Context, cfg *config.Config, db stateReader) (checkState, bool) {
	v, ok, err := db.StateValue(ctx, checkStateName(targetName(cfg)))
	var st checkState
	if err != nil || !ok || json.Unmarshal([]byte(v), &st) != nil {
		return st, false
	}
	return st, true
}

type stateReader interface {
	StateValue(ctx context.Context, name string) (string, bool, error)
}

// crmStore opens for `crm sub` the store that keeps the keys of Pipedrive's
// fields, to recognise a renamed one, and returns it with its close: nil
// without one (said on stderr when it cannot be opened) and for the other
// CRMs (HubSpot matches properties by internal name, which a relabel does
// not change). Setup creates the database, as the daemon's first start
// would, to keep the keys of the fields it makes. Check and setup -dry-run
// only read: where the database cannot be written they open it read-only,
// and the keys of the fields the check finds that are not kept yet are
// counted in unkept instead.
func (c *cli) crmStore(ctx context.Context, cfg *config.Config, sub string, dry bool) (store, *unkeptKeys, func()) {
	if cfg.CRM.Kind != pipedrive.Name {
		return nil, nil, func() {}
	}
	create := sub == "setup" && !dry
	b, err := c.fieldKeyStore(ctx, cfg, storeHooks{Create: create, ReadOnly: sub == "check" || dry})
	switch {
	case err != nil:
		c.errorf("%v: going on without it (a field renamed in the CRM is not recognised)", err)
		return nil, nil, func() {}
	case b == nil:
		return nil, nil, func() {}
	}
	c.saidOpened(b)
	if b.created {
		c.saidMade(cfg, b.where)
	}
	if b.readOnly != nil {
		u := &unkeptKeys{store: b}
		return u, u, func() { b.Close() }
	}
	return b, nil, func() { b.Close() }
}

// saidMade says on stderr that setup made the database at where, which
// the daemon's first start takes if it is the daemon's: run from another
// directory with a relative data_dir, it is not.
func (c *cli) saidMade(cfg *config.Config, where string) {
	rel := ""
	if !filepath.IsAbs(cfg.DataDir) {
		if wd, err := os.Getwd(); err == nil {
			rel = fmt.Sprintf("; data_dir %s is relative, read from the working directory %s", cfg.DataDir, wd)
		}
	}
	c.errorf("no database was there: made the database %s to keep the keys of the CRM's fields, "+
		"as the daemon's first start would (if syncd serves another one, data_dir is not its data directory%s)", where, rel)
}

// unkeptKeys is a read-only store as `crm check` uses it: the field keys
// it would keep are counted, not kept (the check goes on).
type unkeptKeys struct {
	store
	n int
}

// SetStateValue counts a value that cannot be kept.
func (u *unkeptKeys) SetStateValue(context.Context, string, string) error {
	u.n++
	return nil
}

// say tells on c's stderr how many field keys were not kept (nothing
// when none, or for a nil u).
func (u *unkeptKeys) say(c *cli) {
	if u == nil || u.n == 0 {
		return
	}
	c.errorf("the keys of %s found were not kept, the database being read-only: "+
		"a later rename of these in Pipedrive is recognised once a check that can write keeps them", syncd.Counted(u.n, "field", "fields"))
}

// fieldKeyStore opens the store where the CRM's field keys are kept. `crm
// check` and `crm setup` come before the daemon's first start: without
// h.Create, an SQLite database not made yet gives nil (the daemon's check
// at start keeps the keys of the fields it finds); with it, the database is
// made there, as the daemon would.
func (c *cli) fieldKeyStore(ctx context.Context, cfg *config.Config, h storeHooks) (*backend, error) {
	if cfg.Store.Kind != config.StorePostgres && !h.Create {
		if _, err := os.Stat(cfg.DBPath()); errors.Is(err, fs.ErrNotExist) && !sqlite.Lost(cfg.DBPath()) {
			return nil, nil
		}
	}
	return openBackend(ctx, cfg, h)
}

// unanswered says on w, as it happens, each request of crm check or
// setup that got no answer from the CRM. Against a CRM that takes the
// connection and never answers (a proxy or firewall swallowing the
// requests), each read waits out crm.timeout and is sent again up to
// three times: with the default 30 s, two minutes a read, and the
// command said nothing for minutes.
type unanswered struct {
	ctx     context.Context // the command's: once it ends, the requests cut short are no news
	w       io.Writer
	who     string // the command, as its lines begin: "syncd crm check"
	timeout time.Duration
	mu      sync.Mutex
	limited map[string]bool // the reads a 429 was said of
}

// CRMRequest says a request without an answer (status 0) that waited at
// least half of crm.timeout: one that failed at once (a refused
// connection, a reset) kept nobody waiting, and the result says why. It
// says too, once a read, one the CRM refused for its rate limit (429),
// which is sent again after the time the CRM gives: crm setup waited 30
// seconds so without a word.
func (u *unanswered) CRMRequest(name, op string, status int, elapsed time.Duration) {
	if status == http.StatusTooManyRequests && u.ctx.Err() == nil {
		u.mu.Lock()
		defer u.mu.Unlock()
		if !u.limited[op] {
			if u.limited == nil {
				u.limited = map[string]bool{}
			}
			u.limited[op] = true
			fmt.Fprintf(u.w, "%s: %s refused %s for its rate limit (429), spent for now, maybe by another integration on "+
				"the account: syncd sends it again after the time the CRM gives, up to 3 times\n", u.who, name, op)
		}
		return
	}
	if status != 0 || elapsed < u.timeout/2 || u.ctx.Err() != nil {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	fmt.Fprintf(u.w, "%s: no answer from %s to %s after %v (crm.timeout: %v); a read is sent up to 4 times\n",
		u.who, name, op, elapsed.Round(100*time.Millisecond), u.timeout)
}

// minWaitSaid is the shortest wait for the rate limit crm check and setup
// say: Pipedrive's default window is 2 s, and a pause that short worries
// nobody.
const minWaitSaid = 3 * time.Second

// RateLimitWait says nothing: RateLimitWaiting said it before the wait.
func (u *unanswered) RateLimitWait(string, time.Duration) {}

// RateLimitWaiting says, before it, a wait for the client-side rate limit
// of minWaitSaid or more: with a low one (5 requests per 10 s) crm setup
// waited most of a minute without a word.
// One held back by the CRM's 429 says so: it said the configured limit
// held it, and an operator lowered crm.*.requests for nothing.
func (u *unanswered) RateLimitWaiting(name, op string, d time.Duration, budget string, limit int, interval time.Duration, crmPaused bool) {
	if d < minWaitSaid || u.ctx.Err() != nil {
		return
	}
	why := fmt.Sprintf("the rate limit allows %d requests to %s per %v (crm.%s.requests, crm.%s.window, or as the CRM's headers say)",
		limit, name, interval, name, name)
	switch {
	case crmPaused:
		why = name + " refused a request for its rate limit (429): syncd waits the time it gave"
	case budget != "":
		why = fmt.Sprintf("the rate limit allows %d requests to %s per %v (%s's own limit for %s)", limit, name, interval, name, budget)
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	fmt.Fprintf(u.w, "%s: waiting %s before %s: %s\n", u.who, syncd.HowLong(d), op, why)
}
