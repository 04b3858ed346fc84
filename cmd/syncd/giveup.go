package main

// This file sets aside, by hand, an operation the CRM never takes and
// which no attempt count ends: a batch whose request itself always draws
// a 504 (too large, say) uses up no attempt (an outage is not the leads'
// fault), so it was tried again every 10 minutes for ever and held up
// every lead behind it. It also takes a dead letter the operator dealt
// with by hand in the CRM (a lead entered there, a merged contact's
// erasure done there), which syncd status otherwise counted as needing
// attention until the retention purge dropped it, weeks later.

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// givenUpReason goes before a given-up operation's last error.
const givenUpReason = "given up by hand (syncd outbox give-up)"

// outboxGiveUp dead-letters pending operations by id, and marks dead
// letters dealt with by hand as given up.
func (c *cli) outboxGiveUp(ctx context.Context) int {
	fs := c.flags("outbox give-up")
	file := fs.String("config", defaultConfig, "configuration file")
	usage := "usage: syncd outbox give-up [-config FILE] ID [ID...]"
	if err := parseFlags(fs, c.args); err != nil || fs.NArg() == 0 {
		wrongArgs(fs, err, "the IDs of the operations to give up (syncd outbox list shows them)")
		return c.flagsStatus(fs, err, append([]string{usage}, giveUpExits()...)...)
	}
	ids := make([]int64, fs.NArg())
	for i, a := range fs.Args() {
		id, ok := parseID(c.stderr, "outbox give-up", a, "syncd outbox list")
		if !ok {
			return exitUsage
		}
		ids[i] = id
	}
	return c.withWriter(ctx, *file, func(cfg *config.Config, db *backend) int {
		if c.refusedOtherFile(*file, cfg) { // configmatch.go
			return exitUsage
		}
		code, given := exitOK, 0     // given: pending operations given up, which others may wait behind
		withOf := map[int64]string{} // id -> what given up above took it along
		for _, id := range ids {
			before, _ := db.GetOp(ctx, id) // a dead letter before: nothing waited behind it
			with, err := db.GiveUpOp(ctx, id, targetName(cfg), givenUpReason)
			if err == nil {
				for _, w := range with {
					withOf[w] = fmt.Sprintf("operation %d, its contact", id)
					if opKind(ctx, db, w) == syncd.RecordContact {
						withOf[w] = fmt.Sprintf("operation %d of the same contact, which it failed with", id)
					}
				}
				if op, _ := db.GetOp(ctx, id); op.DeadCause == syncd.DeadOtherAccountGivenUp {
					fmt.Fprintf(c.stdout, "operation %d given up: a CRM erasure of the account syncd wrote to before syncd crm "+
						"forget-links, recorded as erased by hand there; no alarm, and never sent (its CRM ids name other records "+
						"in this one)\n", id)
					continue
				}
				if before.State == syncd.OpDead {
					fmt.Fprintf(c.stdout, "operation %d given up: a dead letter, recorded as dealt with by hand in the CRM; "+
						"no alarm (syncd status counts it among those given up by hand), its last error kept; %s\n",
						id, deadGivenUpWith(before, with, func(id int64) syncd.RecordKind { return opKind(ctx, db, id) }))
					continue
				}
				fmt.Fprintf(c.stdout, "operation %d given up: dead, its last error kept; %s\n", id, givenUpWith(ctx, db, id, with))
				given++
				continue
			}
			if took, ok := withOf[id]; ok { // named too: what was asked is done
				fmt.Fprintf(c.stdout, "operation %d given up with %s, above\n", id, took)
				continue
			}
			op, gerr := db.GetOp(ctx, id)
			if syncd.ErrorCode(err) != syncd.ENotFound || gerr != nil {
				code = c.fail(lostOpByRestore(ctx, db, id, cmp.Or(gerr, err)))
				continue
			}
			why, st := notGivenUp(op, targetName(cfg), clockOf(cfg), time.Now())
			fmt.Fprintf(c.stderr, "syncd outbox give-up: %s\n", why)
			code = st
		}
		if given > 0 {
			c.saidWhatWaits(ctx, cfg, db)
		}
		return code
	})
}

// saidWhatWaits says, after a give-up, what becomes of the operations
// still pending for the configured CRM. Before, it always said what waited
// behind goes "at the daemon's next try", also when nothing waited or no
// daemon served the database (on PostgreSQL, no instance ran).
func (c *cli) saidWhatWaits(ctx context.Context, cfg *config.Config, db *backend) {
	depths, err := db.OutboxDepths(ctx)
	if err != nil {
		fmt.Fprintf(c.stderr, "syncd outbox give-up: what still waits not known: %v\n", err)
		return
	}
	var left syncd.OutboxDepth
	for _, d := range depths {
		if d.Target == targetName(cfg) {
			left = d
		}
	}
	failing := !crmFailingOf(ctx, db, targetName(cfg)).Since.IsZero()
	line := whatWaits(left.Pending, nothingServes(ctx, cfg, db), failing, servingOf(cfg))
	if left.Leased > 0 { // syncd sync does not send those: it said they went "now with syncd sync"
		line += fmt.Sprintf("; but %d of them %s held by a lease until %s (being sent now, or held by a syncd that stopped "+
			"mid-send): nothing else sends %s before then", left.Leased, syncd.Noun(left.Leased, "is", "are"),
			clockOf(cfg).show(left.LeaseUntil), syncd.Noun(left.Leased, "it", "them"))
	}
	fmt.Fprintln(c.stdout, line)
}

// whatWaits is what a give-up says of the pending operations left for the
// CRM: none, or when they go, with a daemon (w: an instance) serving the
// database or not, and later while the CRM fails every call (failing:
// the syncer cools down). On PostgreSQL it said "the daemon's next try";
// with the CRM answering it said the try might be 10 minutes away.
func whatWaits(pending int, noDaemon, failing bool, w serving) string {
	switch {
	case pending == 0:
		return "nothing else waits for the CRM"
	case noDaemon:
		return fmt.Sprintf("%s still pending: %s, so %s with syncd sync, or %s", syncd.Counted(pending, "operation", "operations"),
			w.noneRuns(), syncd.Noun(pending, "it goes", "they go"), w.started())
	}
	cooling := ""
	if failing {
		cooling = " (up to 10 minutes away while it cools down after a failed call)"
	}
	return fmt.Sprintf("%s still pending: %s at %s%s, or now with syncd sync", syncd.Counted(pending, "operation", "operations"),
		syncd.Noun(pending, "it goes", "they go"), w.whose("next try"), cooling)
}

// givenUpWith says what becomes of what waits on operation id, given up
// (with: the deals given up with it), and how to bring it back.
func givenUpWith(ctx context.Context, db store, id int64, with []int64) string {
	back := fmt.Sprintf("syncd outbox retry %d brings it back", id)
	op, err := db.GetOp(ctx, id)
	if err != nil {
		return back
	}
	switch {
	case op.Kind == syncd.RecordContact && len(with) > 0:
		return fmt.Sprintf("given up with it: its deal %s %s, which %s for it; %s, %s", syncd.Noun(len(with), "operation", "operations"),
			joinIDs(with), syncd.Noun(len(with), "waits", "wait"), back, syncd.Noun(len(with), "with that deal", "with them"))
	case op.Kind == syncd.RecordContact:
		return back + ", with its deals given up or dead for want of it"
	case op.Kind == syncd.RecordErase:
		return "the person is still in the CRM: erase them there by hand; " + back
	}
	return back
}

// deadGivenUpWith says, of op, a dead letter given up (with: what was
// given up with it, kindOf telling a contact's updates that died with it
// from its deals), what went with it and what a retry does.
func deadGivenUpWith(op syncd.Op, with []int64, kindOf func(int64) syncd.RecordKind) string {
	back := fmt.Sprintf("syncd outbox retry %d sends it again", op.ID)
	var updates, deals []int64
	for _, id := range with {
		if kindOf(id) == syncd.RecordDeal {
			deals = append(deals, id)
		} else {
			updates = append(updates, id)
		}
	}
	switch {
	case op.Kind == syncd.RecordContact && len(with) > 0:
		var took []string
		if len(updates) > 0 { // one write with it: entered by hand, the contact holds their values too
			took = append(took, fmt.Sprintf("%s %s of the same contact, which failed with it (one write)",
				syncd.Noun(len(updates), "operation", "operations"), joinIDs(updates)))
		}
		if len(deals) > 0 {
			took = append(took, fmt.Sprintf("its deal %s %s, dead for want of it", syncd.Noun(len(deals), "operation", "operations"),
				joinIDs(deals)))
		}
		them := "with them"
		switch {
		case len(with) == 1 && len(deals) == 1:
			them = "with that deal"
		case len(with) == 1:
			them = "with that update"
		}
		return fmt.Sprintf("given up with it: %s; %s, %s", strings.Join(took, " and "), back, them)
	case op.Kind == syncd.RecordErase:
		return back + " (a contact that is a merge of several is left alone again)"
	}
	return back
}

// opKind is the kind of operation id, "" when it cannot be read.
func opKind(ctx context.Context, db store, id int64) syncd.RecordKind {
	op, _ := db.GetOp(ctx, id)
	return op.Kind
}

// notGivenUp says why operation op, done, given up already, for a CRM
// other than target or held by a syncer at now, was not given up, with the exit
// status: 2 for another CRM's (as outbox retry), else 3 (no pending
// operation of that id to give up).
func notGivenUp(op syncd.Op, target string, clk clock, now time.Time) (string, int) {
	switch {
	case op.State == syncd.OpDone:
		return fmt.Sprintf("operation %d is done: it reached the CRM (crm id %s); nothing to give up", op.ID, op.CRMID), exitNotFound
	case op.State == syncd.OpDead && op.DeadCause == syncd.DeadOtherAccount && op.Target != target:
		return fmt.Sprintf("operation %d is a CRM erasure of the account syncd wrote to before syncd crm forget-links, in %s, "+
			"which crm.kind (%s) no longer names: give-up records such an erasure as done by hand for the configured CRM only; %s",
			op.ID, op.Target, target, dropOpHint(op, target)), exitUsage
	case op.State == syncd.OpDead && op.DeadCause.OtherAccount():
		return otherAccountErasure(op), exitNotFound
	case op.State == syncd.OpDead && op.DeadCause.GivenUp():
		return fmt.Sprintf("operation %d is given up by hand already: no alarm, nothing left to do (syncd outbox show %d "+
			"says why; syncd outbox retry %d sends it again)", op.ID, op.ID, op.ID), exitNotFound
	case op.Target != target:
		return fmt.Sprintf("operation %d is for %s, which crm.kind (%s) no longer names: nothing sends it; %s",
			op.ID, op.Target, target, dropOpHint(op, target)), exitUsage
	case op.LeaseUntil.After(now):
		return fmt.Sprintf("operation %d is being sent now (a syncer holds it until %s): the CRM may yet take it; "+
			"if it is still pending after that, run the command again", op.ID, clk.show(op.LeaseUntil)), exitNotFound
	}
	return fmt.Sprintf("operation %d was not given up: it changed meanwhile (syncd outbox show %d)", op.ID, op.ID), exitNotFound
}

// oneBatchHint is what status says of a CRM failing every call for half
// an hour: the syncer ran the account check at each such call and its
// reads failed too (else it tells one batch the CRM never takes apart, ONE
// BATCH STUCK), so the CRM is down; a check whose reads go through now
// (passing, or naming problems of the account) means it is back, and
// leads given up then would have gone at the next try. With nothing
// serving the database there is no next try: it said there was.
func oneBatchHint(s Snapshot) string {
	goes := "what waits goes at the next try (up to 10 minutes away), or now with syncd sync"
	if s.NoneServes {
		goes = "what waits goes with syncd sync, or " + serving{s.Shared}.started() + " (" + serving{s.Shared}.noneRuns() + ")"
	}
	return "syncd runs the account check when a call gets no answer or a 502-504, and a batch the CRM never takes" +
		" while it answers shows as ONE BATCH STUCK: this is the CRM down or limiting; if syncd crm check reads the account now" +
		" (exit 0, or 2 naming problems to fix), the CRM is back: " + goes
}
