package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/crm/dryrun"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// cmdErase erases one person (GDPR Art. 17):
// erase -email ADDR | -phone NUMBER [-crm] [-others]. Safe beside a running daemon.
func cmdErase(ctx context.Context, c *cli) int {
	fs := c.flags("erase")
	file := fs.String("config", defaultConfig, "configuration file")
	emailFlag, phoneFlag := subjectFlags(fs)
	email, phone := &emailFlag.value, &phoneFlag.value
	inCRM := fs.Bool("crm", false, "also erase the person's contact and deals in the CRM (queued in the outbox)")
	withOthers := fs.Bool("others", false, "also erase other contacts' leads whose message names the person (refused without it)")
	byID := eraseByIDFlags(fs) // leads by event id, for a client known by name alone (erasename.go)
	if err := parseOnlyFlags(fs, c.args, subjectHint); err != nil {
		return c.flagsStatus(fs, err, eraseExits()...)
	}
	if err := givenOnce("erase", emailFlag, phoneFlag); err != nil {
		fmt.Fprintf(c.stderr, "syncd erase: %v\n", err)
		return exitUsage
	}
	if byID.given() {
		return c.eraseByID(ctx, *file, byID, *email, *phone, *inCRM, *withOthers)
	}
	if err := c.subjectArgs(ctx, email, phone); err != nil {
		return c.subjectArgsStatus("erase", err)
	}
	open := c.withWriter
	if *inCRM { // it erases in the CRM now, with the token
		open = c.withStore
	}
	return open(ctx, *file, func(cfg *config.Config, db *backend) int {
		s, err := newSubject(cfg, *email, *phone)
		if err != nil {
			fmt.Fprintf(c.stderr, "syncd erase: %v\n", err)
			return exitUsage
		}
		f := eraseFlags{email: *email, phone: *phone, inCRM: *inCRM, others: *withOthers}
		f.noDaemon = *inCRM && nothingServes(ctx, cfg, db)
		return c.erasePerson(ctx, cfg, db, s, f)
	})
}

// eraseFlags are erase's flags that decide what is erased, and whether a
// daemon serves the database to send the CRM erasures it queues.
type eraseFlags struct {
	email, phone  string
	inCRM, others bool
	// noDaemon: no daemon serves the database (on PostgreSQL, no instance
	// runs), so nothing sends the CRM erasures but syncd sync or a start.
	noDaemon bool
}

// eraseReads is how many times erase reads the person when, each time,
// leads naming them were stored before it could erase what it read.
const eraseReads = 3

// erasePerson reads what db holds of s, refuses when that holds other
// contacts' leads it was not told to erase (see otherContacts), and
// erases exactly what it read, which it reports. Leads naming the person
// stored meanwhile (by the daemon beside it) make the store erase nothing:
// it reads the person again and decides again.
func (c *cli) erasePerson(ctx context.Context, cfg *config.Config, db store, s syncd.Subject, f eraseFlags) int {
	target := ""
	if f.inCRM {
		target = targetName(cfg)
	}
	s.ID = auditID(cfg, s, f.email)
	for reads := 1; ; reads++ {
		s.Others = nil
		pd, err := db.PersonData(ctx, s)
		if err != nil {
			return c.fail(err)
		}
		others, err := otherContacts(cfg, f.email, f.phone, s, pd)
		if err == nil && len(others) > 0 && !f.others {
			err = othersRefused(others)
		}
		if err != nil {
			fmt.Fprintf(c.stderr, "syncd erase: %v\n", err)
			return exitUsage
		}
		s.Others = slices.Sorted(maps.Keys(others))
		s.Holds = personKeys(s, pd)
		er, err := db.Erase(ctx, s, pd, target)
		if syncd.ErrorCode(err) == syncd.EChanged {
			if reads < eraseReads {
				c.errorf("%v: reading the person again", err)
				continue
			}
			err = fmt.Errorf("%w (read %d times, and each time more came: run syncd erase again)", err, reads)
		}
		ids := newErasureIDs(cfg, f.email, f.phone, f.inCRM, f.others)
		q := queuedErase{target: target, noDaemon: f.noDaemon}
		if target != "" { // what the store queued the CRM's erasure of
			q.unlinked = syncd.UnlinkedDeals(pd.Ops, er.CRMLinks, target, s.Others)
		}
		var before time.Time // the person's last erasure: a second erase finds nothing, rightly
		for _, e := range pd.Erasures {
			if e.At.After(before) {
				before = e.At
			}
		}
		code := c.erased(ctx, cfg, db, s, q, linkedContacts(pd), ids, before, er, err)
		if !er.At.IsZero() {
			refusedEmailSaid(c.stdout, "", refusedEmail(s, pd))
		}
		if strings.TrimSpace(f.phone) == "" && !er.At.IsZero() {
			shared, err := phonesElsewhere(ctx, cfg, db, s, ownPhones(s, pd), foundEvents(pd))
			if err != nil {
				fmt.Fprintf(c.stderr, "syncd erase: the erasure is done; looking for the person's phone on other leads: %v\n", err)
			}
			samePhoneSaid(c.stdout, "erase", shared)
		}
		return code
	}
}

// erased prints what the erase of s (erased before at before, or zero) did (er and err, from Store.Erase),
// rewrites the reports, and tells of s.Others by linked (the contacts a
// CRM has, with the deals of their leads erased) and of what syncd cannot reach. An erase whose WAL checkpoint
// could not run (the data is erased) is still reported, then its error.
// The erasure log (beside the SQLite database, in PostgreSQL's data_dir)
// records it, by ids (erasurelog.go); one it cannot record exits 5.
func (c *cli) erased(ctx context.Context, cfg *config.Config, db store, s syncd.Subject, q queuedErase, linked map[string][]string,
	ids erasureIDs, before time.Time, er syncd.Erasure, err error) int {
	target := q.target
	if err != nil && er.At.IsZero() {
		return c.fail(err)
	}
	logged, unlogged := erasureLogPath(cfg), false
	if logged != "" {
		if lerr := logErasure(logged, ids, er, restoreOpened(ctx, db)); lerr != nil {
			fmt.Fprintf(c.stderr, "syncd erase: %v: this erasure is not recorded there: should a backup taken before now be restored, "+
				"syncd cannot erase the person again by itself: keep your record of it and run this erase again then; "+
				"syncd status says why the log does not read until it does (exit 5)\n", lerr)
			logged, unlogged = "", true
		}
	}
	fmt.Fprintf(c.stdout, "erased: %s\n", erasedCounts(er.Events, er.Quarantined, er.Ops, er.Links, er.Intents))
	nothingFound(c.stdout, ids, er, logged != "", before, clockOf(cfg))
	if target != "" && er.CRMOps == 0 { // "0 operations queued" read as a failure to queue them
		fmt.Fprintf(c.stdout, "CRM erase queued: none for %s (syncd holds no link of the person's to a record there)\n", target)
	} else if target != "" {
		fmt.Fprintf(c.stdout, "CRM erase queued: %s for %s%s%s\n", syncd.Counted(er.CRMOps, "operation", "operations"), target, q.what(er),
			queuedGoes(er.CRMOps, q.noDaemon, servingOf(cfg)))
	}
	othersKept(c.stdout, s.Others, linked)
	crmLeft(c.stdout, er.CRMLinks, target)
	merged, kept, herr := c.eraseHolders(ctx, cfg, db, holderKeys(s, er.CRMLinks, target), er.CRMLinks, s.Holds, target)
	olderDealsSaid(c.stdout, cfg, er.CRMLinks, er.At, dealLinksKeyedSince(ctx, db), target == hubspot.Name, kept)
	away, aerr := madeElsewhere(ctx, cfg, db, er.Received)
	paths, rerr := rewriteReports(ctx, cfg, db, er.Received)
	for _, p := range paths {
		fmt.Fprintf(c.stdout, "report rewritten: %s\n", p)
	}
	if s := otherCopiesSaid(cfg, reportDays(er.Received, clockOf(cfg).loc), away); s != "" {
		fmt.Fprintln(c.stdout, s)
	}
	rerr = errors.Join(rerr, aerr)
	merr := mailedCopies(ctx, c.stdout, cfg, db, er.Received)
	berr := heldBackups(ctx, c.stdout, cfg, db, s, er.Received, logged != "")
	lostCopyHeld(c.stdout, cfg)
	fmt.Fprintln(c.stdout, "not reached by syncd: files made with syncd report -out, "+unknownCopies(cfg)+
		", log lines at debug level: they hold the person until they expire; should one be restored, run this erase again")
	if logged != "" && cfg.Store.Kind == config.StorePostgres {
		fmt.Fprintf(c.stdout, "erasure log: %s records it (no identifier in clear): the instance on this host erases the person "+
			"again, at its start and hourly, should a backup of the database restored lack this erasure; the other hosts' "+
			"instances do not hold it: keep this file with the data directory\n", logged)
	} else if logged != "" {
		fmt.Fprintf(c.stdout, "erasure log: %s records it (no identifier in clear): copy it off this server "+
			"beside the backups; the first start on a restored backup reads it to erase the person again\n", logged)
	}
	fmt.Fprintf(c.stdout, "audit: subject %s at %s\n", er.SubjectHash, clockOf(cfg).show(er.At))
	pgKeeps(c.stdout, cfg)
	if err = errors.Join(err, herr, rerr, merr, berr); err != nil {
		return c.fail(err)
	}
	if unlogged || merged { // lost to a restore with no word, or left in a merged contact: a person must act
		return exitAttention
	}
	return exitOK
}

// erasedCounts is what an erasure removed, as erase and export say it:
// "1 event, 0 quarantined bodies, ...".
func erasedCounts(events, quarantined, ops, links, intents int) string {
	return strings.Join([]string{syncd.Counted(events, "event", "events"),
		syncd.Counted(quarantined, "quarantined body", "quarantined bodies"),
		syncd.Counted(ops, "outbox operation", "outbox operations"), syncd.Counted(links, "CRM link", "CRM links"),
		syncd.Counted(intents, "CRM create intent", "CRM create intents")}, ", ")
}

// queuedErase is what erase -crm asked of the CRM target ("": erase was
// not given -crm): noDaemon, no daemon serves the database to send it;
// unlinked, the lead ids of the person's deals that have no CRM id
// (syncd.UnlinkedDeals), which the queued erasure also carries.
type queuedErase struct {
	target   string
	noDaemon bool
	unlinked []string
}

// what names the records the erasure er queued in q.target erases: the
// contacts and deals linked there, and the deals syncd holds no id of,
// which HubSpot's erasure looks up by their lead id (it said "1
// operations" alone, the DPO left to guess what they erase, and the
// lookups by lead id counted nowhere). "" when nothing was queued.
func (q queuedErase) what(er syncd.Erasure) string {
	if er.CRMOps == 0 {
		return ""
	}
	ids := map[syncd.RecordKind][]string{}
	for _, l := range er.CRMLinks {
		if l.Target == q.target {
			ids[l.Kind] = append(ids[l.Kind], l.CRMID)
		}
	}
	out := recordList(ids)
	if n := len(q.unlinked); n > 0 {
		deals := syncd.Counted(n, "deal", "deals")
		how := "looked up in " + q.target + " by its lead id"
		if q.target != hubspot.Name {
			how = "deleted with the person's other deals if there (" + q.target + " finds no deal by lead id)"
		}
		if out != "" {
			out += ", and "
		}
		out += deals + " syncd holds no id of (its lead not recorded as sent, which the CRM may hold all the same), " + how
	}
	if out == "" {
		return ""
	}
	return ": " + out
}

// nothingFound says so when the erase er, given ids, found nothing (a
// mistyped address erases nobody): what follows it tells of "the person"
// as after a real erasure. Such an erasure is recorded all the same, and
// it says why: the audit answers the person's request (syncd export finds
// it), and the erasure log (logged) erases them again from a
// backup restored later that still holds them (taken before the database
// was started afresh or restored from an older backup). Of a person erased
// before (at before), it says so instead of asking whether the address is
// written as the person gave it: an erase run again, as told when the CRM
// did not answer, cast doubt on the first.
func nothingFound(w io.Writer, ids erasureIDs, er syncd.Erasure, logged bool, before time.Time, clk clock) {
	if er.Events+er.Quarantined+er.Ops+er.Links+er.Intents > 0 {
		return
	}
	given := "email"
	switch {
	case len(ids.email) > 0 && len(ids.phone) > 0:
		given = "email and phone"
	case len(ids.phone) > 0:
		given = "phone"
	}
	why := "the audit shows the request was answered (syncd export finds it)"
	if logged {
		why += ", and should a backup that holds the person be restored, its first start erases them again"
	}
	if !before.IsZero() {
		fmt.Fprintf(w, "nothing found: syncd holds nothing under the %s given any longer: the erasure of it at %s removed it "+
			"(syncd export shows what each erasure removed); this one is recorded all the same, on purpose: %s\n", given, clk.show(before), why)
		return
	}
	fmt.Fprintf(w, "nothing found: syncd holds nothing under the %s given (is it written as the person gave it? "+
		"syncd export shows what syncd holds under an address or number; erased or purged before, it is gone already); "+
		"the erasure is recorded all the same, on purpose: %s\n", given, why)
}

// holderKeys are the contact keys under which the CRM target may hold the
// person now: the email given, the keys of the person's contacts linked in
// target (an email found by -phone), and the phone given when it reads as
// one number only (one in several countries may be someone else's).
func holderKeys(s syncd.Subject, links []syncd.Link, target string) []string {
	var keys, phones []string
	for _, k := range s.Keys {
		if strings.Contains(k, "@") {
			keys = append(keys, k)
		} else {
			phones = append(phones, k)
		}
	}
	if len(phones) == 1 {
		keys = append(keys, phones[0])
	}
	for _, l := range links {
		if l.Target == target && l.Kind == syncd.RecordContact {
			keys = append(keys, l.Key)
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// queuedGoes says what sends the n CRM erasures an erase queued: the
// daemon's syncer, or with no daemon serving the database (noDaemon: on
// PostgreSQL no instance running) only syncd sync or the daemon's start
// (it said the daemon's syncer then too); nothing for none.
func queuedGoes(n int, noDaemon bool, w serving) string {
	switch {
	case n == 0:
		return ""
	case noDaemon:
		return " (" + w.noneRuns() + ": they go with syncd sync, or " + w.started() + ")"
	}
	return " (sent by " + w.whose("syncer") + ", or now by: syncd sync)"
}

// eraseHolders erases in target, now, whoever holds each of keys (the
// contact syncd linked may have been deleted and the person recreated
// under another id): the queued operations keep ids and the person's
// emails and phones only sealed, no value to search by, so this cannot
// wait for the syncer. It says what it did. merged is true when a holder
// was left alone as a merge of several contacts
// (syncd.CodeMergedContact), or, as a contact of links in target is
// (syncd.SharedChecker), as holding someone else's email or phone too, by
// known (syncd.CodeSharedContact), which it says once a contact, with
// what to do by hand; kept holds the CRM ids of the contacts of links so
// left (looked up by the link's key, or checked by its id).
func (c *cli) eraseHolders(ctx context.Context, cfg *config.Config, db store, keys []string, links []syncd.Link, known syncd.PersonKeys,
	target string) (merged bool, kept map[string]bool, err error) {
	if target == "" || len(keys) == 0 {
		return false, nil, nil
	}
	adapter := newCRM(cfg, db, commandLogger(c.stderr, "erase", "warn", clockOf(cfg)), nil)
	// On a restored backup, only in the account its CRM ids were made in,
	// as the daemon sends: another agency's backup would erase this one's
	// clients of the same address.
	pinRecorded(ctx, db, adapter)
	he, ok := adapter.(syncd.HolderEraser)
	if !ok {
		return false, nil, nil
	}
	kept = map[string]bool{}
	keep := func(key, id string) { // the linked contacts of key (or id) were left
		for _, l := range links {
			if l.Target == target && l.Kind == syncd.RecordContact && (key != "" && l.Key == key || l.CRMID == id) {
				kept[l.CRMID] = true
			}
		}
	}
	said := map[string]bool{}
	left := func(err error) bool { // says each contact left as shared once
		msgs := sharedLeft(err)
		for _, m := range msgs {
			if !said[m] {
				said[m] = true
				fmt.Fprintf(c.stdout, "CRM NOT ERASED: %s: %s; a queued erasure of the same person is refused alike, the deals syncd "+
					"made for the person deleted (a dead letter that syncd status counts: syncd outbox show ID says this) (exit 5)\n", target, m)
			}
		}
		merged = merged || len(msgs) > 0
		return len(msgs) > 0
	}
	done, skipped := 0, 0
	for _, k := range keys {
		ok, err := he.EraseHolders(ctx, k, known)
		var ce *syncd.CRMError
		if errors.As(err, &ce) && ce.Code == syncd.CodeWrongAccount { // no answer awaited: the account is not the one
			return false, nil, fmt.Errorf("erase in %s: nothing erased there (the rest of the erase is done): %w", target, err)
		}
		if errors.As(err, &ce) && ce.Code == syncd.CodeMergedContact {
			fmt.Fprintf(c.stdout, "CRM NOT ERASED: %s: %s; the queued erasure of that contact is refused alike, "+
				"its deals deleted (a dead letter that syncd status counts: syncd outbox show ID says this) (exit 5)\n", target, ce.Message)
			merged = true
			keep(k, "")
			continue
		}
		if left(err) {
			keep(k, "")
			continue
		}
		if err != nil {
			return false, nil, fmt.Errorf("erase in %s of whoever holds the person's email or phone now (the rest of the erase is done: run it again, with -email, when %s answers): %w",
				target, target, err)
		}
		if ok {
			done++
		} else {
			skipped++
		}
	}
	leftID := func(id string, err error) bool {
		if left(err) {
			keep("", id)
			return true
		}
		return false
	}
	if err := checkLinkedShared(ctx, adapter, target, links, known, leftID); err != nil {
		return merged, kept, err
	}
	if done > 0 || !merged {
		fmt.Fprintf(c.stdout, "CRM erase now: %d of the person's emails and phones looked up in %s, whoever holds them erased\n", done, target)
	}
	if skipped > 0 {
		fmt.Fprintf(c.stdout, "CRM erase now: %s not looked up (%s finds contacts by email only): only the contact syncd linked is erased\n",
			syncd.Counted(skipped, "phone number", "phone numbers"), target)
	}
	return merged, kept, nil
}

// checkLinkedShared has the contacts of links in target, whose erasure is
// queued and which the person's email may no longer find, checked for
// holding someone else's email or phone too (syncd.SharedChecker), each
// such told by left, with its CRM id.
func checkLinkedShared(ctx context.Context, adapter syncd.CRM, target string, links []syncd.Link, known syncd.PersonKeys,
	left func(id string, err error) bool) error {
	sc, ok := adapter.(syncd.SharedChecker)
	if !ok {
		return nil
	}
	for _, l := range links {
		if l.Target != target || l.Kind != syncd.RecordContact {
			continue
		}
		if err := sc.CheckShared(ctx, l.CRMID, known); !left(l.CRMID, err) && err != nil {
			return fmt.Errorf("read %s's contact %s the person's erasure is queued for (the rest of the erase is done): %w", target, l.CRMID, err)
		}
	}
	return nil
}

// sharedLeft are the messages of the syncd.CodeSharedContact errors err
// holds (one a contact left), in order.
func sharedLeft(err error) []string {
	if j, ok := err.(interface{ Unwrap() []error }); ok { // errors.Join: one a contact
		var out []string
		for _, e := range j.Unwrap() {
			out = append(out, sharedLeft(e)...)
		}
		return out
	}
	var ce *syncd.CRMError
	if errors.As(err, &ce) && ce.Code == syncd.CodeSharedContact {
		return []string{ce.Message}
	}
	return nil
}

// crmLeft says which of the person's CRM records the erase did not ask a
// CRM to erase: all of them without -crm, and with it those in a CRM other
// than the configured one (linked before the target changed). Their links
// are gone with the erase, so syncd cannot erase them later: their ids are
// printed for the operator to delete them by hand. The dry run's are none.
func crmLeft(w io.Writer, links []syncd.Link, target string) {
	left := map[string]map[syncd.RecordKind][]string{}
	for _, l := range links {
		if l.Target == target || l.Target == dryrun.Name {
			continue
		}
		if left[l.Target] == nil {
			left[l.Target] = map[syncd.RecordKind][]string{}
		}
		left[l.Target][l.Kind] = append(left[l.Target][l.Kind], l.CRMID)
	}
	for _, t := range slices.Sorted(maps.Keys(left)) {
		why := "erase was not given -crm"
		if target != "" {
			why = t + " is not the configured CRM"
		}
		fmt.Fprintf(w, "left in the CRM: %s %s (%s; syncd no longer knows these records: delete them in %s by hand)\n",
			t, recordList(left[t]), why, t)
	}
}

// recordList is "contact 12, deals 34 56" for the CRM ids of each kind,
// each once: a contact linked by its email and by its phone was named
// twice ("contacts 1008 1008").
func recordList(ids map[syncd.RecordKind][]string) string {
	var parts []string
	for _, k := range []syncd.RecordKind{syncd.RecordContact, syncd.RecordDeal} {
		var once []string
		for _, id := range ids[k] {
			if !slices.Contains(once, id) {
				once = append(once, id)
			}
		}
		if len(once) > 0 {
			name := string(k)
			if len(once) > 1 {
				name += "s"
			}
			parts = append(parts, name+" "+strings.Join(once, " "))
		}
	}
	return strings.Join(parts, ", ")
}

// rewriteReports makes again, from the database as it is now, the workbooks
// kept in the reports directory for the days something was received on:
// they no longer list what was erased or purged. Nothing is mailed.
func rewriteReports(ctx context.Context, cfg *config.Config, db store, received []time.Time) ([]string, error) {
	opts, err := reportOptions(ctx, cfg, db, newLogger(io.Discard, "error"))
	if err != nil {
		return nil, err
	}
	opts.Mailer, opts.Again = nil, true // with the alarms recorded with each day
	if err := ownReportsDir(cfg); err != nil {
		return nil, err // another agency's workbooks are not rewritten
	}
	var paths []string
	var errs []error
	for _, d := range reportDays(received, opts.Location) {
		if _, err := os.Stat(filepath.Join(opts.Dir, d.FileName())); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		p, err := report.Make(ctx, d, opts)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		paths = append(paths, p)
	}
	return paths, errors.Join(errs...)
}

// mailedCopies says which days of times had their workbook mailed: the
// copies in the recipients' mailboxes still list the person, and once the
// erase is done nothing in syncd tells which mails did.
func mailedCopies(ctx context.Context, w io.Writer, cfg *config.Config, db store, times []time.Time) error {
	clk := clockOf(cfg)
	days := reportDays(times, clk.loc)
	if len(days) == 0 {
		return nil
	}
	first := slices.MinFunc(days, func(a, b report.Day) int { return strings.Compare(a.String(), b.String()) })
	recs, err := db.Reports(ctx, first.String())
	if err != nil {
		return err
	}
	for _, r := range recs {
		if !r.MailedAt.IsZero() && slices.ContainsFunc(days, func(d report.Day) bool { return d.String() == r.Day }) {
			fmt.Fprintf(w, "mailed copy: the report of %s mailed at %s still lists the person in the recipients' mailboxes "+
				"(syncd cannot reach it: ask them to delete that mail)\n", r.Day, clk.show(r.MailedAt))
		}
	}
	return nil
}

// heldBackups says which backups syncd backup made hold the person s:
// those taken since times (what this erase removed, see backupsHolding)
// and those holding what an earlier erasure of s removed (see
// erasedInBackups, when the erasure log read: logRead), as export names
// them: an erase run again finds nothing in the database, and named none.
// syncd cannot erase them.
func heldBackups(ctx context.Context, w io.Writer, cfg *config.Config, db store, s syncd.Subject, times []time.Time, logRead bool) error {
	list, err := backupsHolding(ctx, db, times, sqlitePath(cfg))
	if logRead {
		erased, eerr := erasedInBackups(ctx, db, cfg, s)
		for _, b := range erased {
			if !slices.ContainsFunc(list, func(o madeBackup) bool { return o.Path == b.Path }) {
				list = append(list, b)
			}
		}
		err = errors.Join(err, eerr)
	}
	for _, b := range list {
		fmt.Fprintf(w, "backup: %s taken at %s still holds the person (syncd cannot reach it): delete it, or keep it "+
			"no longer than your privacy notice says; should it be restored, the daemon's first start on it erases the person again "+
			"(syncd status says if it cannot: then run this erase again)\n",
			b.Path, clockOf(cfg).show(b.TakenAt))
	}
	return err
}

// lostCopyHeld names the copy a daemon saved of its SQLite database
// removed or replaced under it (sqlite.LostCopy), where one is still beside
// the database: a backup restored over it leaves it there, holding what
// the database held then, which syncd neither erases nor purges.
func lostCopyHeld(w io.Writer, cfg *config.Config) {
	path := sqlitePath(cfg)
	if path == "" {
		return // PostgreSQL
	}
	saved := sqlite.LostCopy(path)
	if saved == "" {
		return
	}
	fmt.Fprintf(w, "lost database copy: %s, which syncd saved when its database was removed or replaced under the "+
		"daemon, may hold the person (syncd neither erases nor purges it): delete it once what it holds is not needed\n", saved)
}

// reportDays are the days in loc of times, each once, in the order first
// seen.
func reportDays(times []time.Time, loc *time.Location) []report.Day {
	var days []report.Day
	for _, t := range times {
		if d := report.DayOf(t, loc); !slices.Contains(days, d) {
			days = append(days, d)
		}
	}
	return days
}

// madeElsewhere returns, on PostgreSQL, the days of received whose
// workbook the shared store recorded made, that the reports directory here
// lacks and that its keep_days has not pruned: another instance made it,
// and it still lists what was erased until that instance makes its copy
// again (remakeRemovedCopies, within the hour, at its start if stopped).
// Erase exited 1 for them, "failed partway", though running it again
// finds nothing to do and that instance makes the copy again by itself
// (erase -event never did): otherCopiesSaid names them.
func madeElsewhere(ctx context.Context, cfg *config.Config, db store, received []time.Time) ([]report.Day, error) {
	if cfg.Store.Kind != config.StorePostgres || len(received) == 0 {
		return nil, nil
	}
	loc, keep := clockOf(cfg).loc, cfg.Report.KeepDays // as reportOptions has them, without its reads of the store
	today := report.DayOf(time.Now(), loc)
	var away []report.Day
	for _, d := range reportDays(received, loc) {
		if _, err := os.Stat(filepath.Join(cfg.Report.Dir, d.FileName())); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if keep > 0 && d.Before(today.AddDays(-keep)) {
			continue
		}
		made, err := db.ReportMade(ctx, d.String())
		if err != nil {
			return away, err
		}
		if made {
			away = append(away, d)
		}
	}
	return away, nil
}
