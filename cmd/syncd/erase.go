package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
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
		if *inCRM && c.refusedOtherFile(*file, cfg) { // it queues the CRM erasures for this file's crm.kind
			return exitUsage
		}
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
		ids := newErasureIDs(s, f.inCRM, f.others)
		ids.share = othersShareOf(pd, others)
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
	var lg erasureLog // as logErasure left it: heldBackups reads it no more
	if logged != "" {
		var lerr error
		if lg, lerr = logErasure(logged, ids, er, restoreOpened(ctx, db)); lerr != nil {
			fmt.Fprintf(c.stderr, "syncd erase: %v: this erasure is not recorded there: should a backup taken before now be restored, "+
				"syncd cannot erase the person again by itself: keep your record of it and run this erase again then; "+
				"syncd status says why the log does not read until it does (exit 5)\n", lerr)
			logged, unlogged = "", true
		}
	}
	fmt.Fprintf(c.stdout, "erased: %s\n", erasedCounts(er.Events, er.Quarantined, er.Ops, er.Links, er.Intents))
	if sh := ids.share; sh.Events+sh.Quarantined+sh.Ops > 0 {
		fmt.Fprintf(c.stdout, "of these, other contacts' leads that name the person: %s (the audit keeps the totals; "+
			"the erasure log counts these apart, and syncd export tells the person they were not theirs)\n",
			strings.Join([]string{syncd.Counted(sh.Events, "event", "events"),
				syncd.Counted(sh.Quarantined, "quarantined body", "quarantined bodies"),
				syncd.Counted(sh.Ops, "outbox operation", "outbox operations")}, ", "))
	}
	nothingFound(c.stdout, ids, er, logged != "", before, clockOf(cfg), searched(cfg))
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
	berr := heldBackups(ctx, c.stdout, cfg, db, s, er.Received, lg)
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

// nothingFound says so when the erase er, given ids, found nothing (a
// mistyped address erases nobody): what follows it tells of "the person"
// as after a real erasure. Such an erasure is recorded all the same, and
// it says why: the audit answers the person's request (syncd export finds
// it), and the erasure log (logged) erases them again from a
// backup restored later that still holds them (taken before the database
// was started afresh or restored from an older backup). Of a person erased
// before (at before), it says so instead of asking whether the address is
// written as the person gave it: an erase run again, as told when the CRM
// did not answer, cast doubt on the first. Of a person never held, it
// names the database it searched (searched).
func nothingFound(w io.Writer, ids erasureIDs, er syncd.Erasure, logged bool, before time.Time, clk clock, in string) {
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
	if in != "" {
		fmt.Fprintf(w, "searched: %s\n", in)
	}
}

// searched names the database a command read for cfg and the file that
// names it, for a person it found nothing of: on a server of several
// agencies (syncd@NAME), each syncd reads its own database alone, and a
// person looked for with another agency's -config is not found there, nor
// erased from the database that holds them: "nothing found" said nothing of
// where it had looked. "" when the store cannot be named.
func searched(cfg *config.Config) string {
	db, err := storeName(cfg)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%s, the database of %s (another agency's syncd on this server reads its own: -config its file)",
		db, abs(cfg.File))
}
