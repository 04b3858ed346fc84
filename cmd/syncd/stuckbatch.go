package main

// This file tells, in status and on the systemd status line, one batch the
// CRM never takes from a CRM outage: the syncer finds the CRM answering
// other calls while that batch's call fails as a whole (a 504 to a request
// too large, say), which no attempt count ends (see syncer.Options.Stuck).

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// crmStuckRow is the state row of the operations the CRM never takes while
// it answers other calls: their ids, since when (on the store's clock,
// ServerTime: before, on the sync leader's, so status on a host whose
// clock was right said a batch stuck by a leader ten minutes ahead was
// stuck since a time to come, with no age) and how their calls fail; no
// row, or an empty value, when there are none.
type crmStuckRow struct {
	Ops   []int64   `json:"ops"`
	Since time.Time `json:"since"`
	Why   string    `json:"why"`
}

// crmStuckState is the name of target's crmStuckRow.
func crmStuckState(target string) string { return "crm_stuck:" + target }

// stuck records the operations the syncer found the CRM never takes (none:
// cleared): the metric, the status line and the state row status reads.
func (c *crmSeen) stuck(ops []int64, since time.Time, why string) {
	name := c.d.adapter.Name()
	c.d.metrics.CRMStuck(name, len(ops))
	c.d.line.crmStuck(name, ops, why)
	v := ""
	if len(ops) > 0 {
		b, _ := json.Marshal(crmStuckRow{Ops: ops, Since: c.d.db.ServerTime(since).UTC(), Why: why})
		v = string(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.d.db.SetStateValue(ctx, crmStuckState(name), v); err != nil {
		c.d.log.Warn().Err(err).Msg("crm stuck batch not stored: syncd status may not name it")
	}
}

// running shows in the metrics since when the sync run under way sends
// (the zero time: none is).
func (c *crmSeen) running(since time.Time) {
	c.d.metrics.SyncRunning(c.d.adapter.Name(), since)
}

// stuckStarting clears the row a previous syncer left: this one finds the
// batch anew if it is still stuck.
func (c *crmSeen) stuckStarting(ctx context.Context) {
	c.d.line.crmStuck(c.d.adapter.Name(), nil, "")
	if err := c.d.db.SetStateValue(ctx, crmStuckState(c.d.adapter.Name()), ""); err != nil {
		c.d.down.sayOr("sync", err, func(err error) { // an outage's lines say it
			c.d.log.Warn().Err(err).Msg("crm stuck batch of the previous syncer not cleared")
		})
	}
}

// followedStuck shows on the status line the batch stuck the sync leader
// stored, unless this instance leads sync now (its syncer tells the line),
// as followed does.
func (c *crmSeen) followedStuck(ops []int64, why string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.d.runsSync() {
		return
	}
	c.d.line.crmStuck(c.d.adapter.Name(), ops, why)
}

// stuckDetails puts into a the operations of its stored crmStuckRow that
// are still pending (one given up, or sent since, is left out).
func stuckDetails(ctx context.Context, db store, a *AdapterStatus) error {
	v, ok, err := db.StateValue(ctx, crmStuckState(a.Name))
	if err != nil || !ok || v == "" {
		return err
	}
	var row crmStuckRow
	if json.Unmarshal([]byte(v), &row) != nil {
		return nil
	}
	a.StuckOps, a.StuckSince, a.StuckWhy = nil, db.HostTime(row.Since), row.Why
	for _, id := range row.Ops {
		op, err := db.GetOp(ctx, id)
		if syncd.ErrorCode(err) == syncd.ENotFound {
			continue
		}
		if err != nil {
			return err
		}
		if op.State == syncd.OpPending && op.Target == a.Name {
			a.StuckOps = append(a.StuckOps, id)
		}
	}
	return nil
}

// stuckWords names a's stuck operations for status, the report's alarm of one
// and the status line: a heading, and the calls that fail. Each was
// isolated (its call failed with it alone: syncer.Options.Stuck), so
// several are as many records the CRM never takes, each in calls of its
// own, not one batch: before, two so isolated from different calls read
// "ONE BATCH STUCK … every call with operation(s) 221, 361".
func stuckWords(ops []int64, why string) (heading, fails string) {
	if len(ops) == 1 {
		return "ONE BATCH STUCK", fmt.Sprintf("every call with operation %s fails as a whole (%s)", joinIDs(ops), why)
	}
	return fmt.Sprintf("%d OPERATIONS STUCK", len(ops)), fmt.Sprintf("each of operations %s fails as a whole in every call,"+
		" sent alone too (%s): records it never takes, not one batch", joinIDs(ops), why)
}

// lookFirst is what status and syncd sync say before the give-up of
// operations the CRM fails as a whole, as the syncer's advice for one set
// aside does: the CRM may have taken a create before failing (its answer
// lost), so the give-up is for a lead found there or entered by hand; a
// lead given up otherwise is not sent, and one entered by hand without a
// look may be there twice.
const lookFirst = "look for their leads in the CRM first (it may have taken a create before failing):" +
	" once each is there or entered by hand (given up, a lead is not sent),"

// stuckLine is what status says of a's stuck operations: that the CRM
// answers, which operations it fails, and the command to set them aside
// once their leads were looked for in the CRM (lookFirst).
func stuckLine(a AdapterStatus, when func(time.Time) string) string {
	heading, fails := stuckWords(a.StuckOps, a.StuckWhy)
	show, behind := fmt.Sprintf("syncd outbox show %d says what they hold", a.StuckOps[0]), "it"
	if len(a.StuckOps) > 1 {
		show, behind = fmt.Sprintf("syncd outbox show ID says what each holds (%d, …)", a.StuckOps[0]), "them"
	}
	return fmt.Sprintf("%s since %s: the CRM answers other calls but %s;"+
		" it is not an outage and does not end by itself: the leads behind %s go on, these are tried again less often, up to every 10 minutes\n"+
		"\t  %s; %s syncd outbox give-up %s sets them aside (syncd outbox retry brings them back)",
		heading, when(a.StuckSince), fails, behind, show, lookFirst, argIDs(a.StuckOps))
}

// stuckAlarm is the report's alarm for the operations of target the CRM
// never takes while it answers other calls, as syncd status names them
// (none: nil). Before, status exited 5 for them while the report, the page
// the agency reads, only said their leads were waiting to be sent. Of
// several, it names them once in the sentence and once in the give-up:
// status's words listed them twice more and sent the reader to the outbox
// show of the first for what they all hold.
func stuckAlarm(ctx context.Context, target string, db store) (*report.Alarm, error) {
	a := AdapterStatus{Name: target}
	if err := stuckDetails(ctx, db, &a); err != nil || len(a.StuckOps) == 0 {
		return nil, err
	}
	if len(a.StuckOps) > 1 {
		return &report.Alarm{Since: a.StuckSince, Short: "CRM operations stuck", Text: fmt.Sprintf(
			"CRM %s answers other calls, but %d operations (%s) fail as a whole in every call, each sent alone too (%s): "+
				"records the CRM never takes, not one batch, and they do not go by themselves. "+
				"syncd outbox show ID says what each holds; look for their leads in the CRM first and enter those not there by hand, then syncd outbox give-up %s sets them aside",
			target, len(a.StuckOps), joinIDs(a.StuckOps), a.StuckWhy, argIDs(a.StuckOps))}, nil
	}
	_, fails := stuckWords(a.StuckOps, a.StuckWhy)
	return &report.Alarm{Since: a.StuckSince, Short: "CRM batch stuck", Text: fmt.Sprintf(
		"CRM %s answers other calls, but %s: they do not go by themselves. "+
			"syncd outbox show %d says what they hold; look for their leads in the CRM first and enter those not there by hand, then syncd outbox give-up %s sets them aside",
		target, fails, a.StuckOps[0], argIDs(a.StuckOps))}, nil
}

// argIDs prints ids separated by spaces, as the commands take them.
func argIDs(ids []int64) string {
	return strings.ReplaceAll(joinIDs(ids), ", ", " ")
}

// crmStuck shows (or, with no ops, clears) the operations of target the
// CRM never takes while it answers other calls: they need a person.
func (l *statusLine) crmStuck(target string, ops []int64, why string) {
	if len(ops) == 0 {
		l.set(attnCRMStuck, "")
		return
	}
	shown := joinIDs(ops)
	if len(ops) > 5 { // the line is one line: status names them all
		shown = fmt.Sprintf("%s ... (%d in all)", joinIDs(ops[:5]), len(ops))
	}
	heading, each := "ONE BATCH STUCK", ""
	if len(ops) > 1 {
		heading, each = fmt.Sprintf("%d OPERATIONS STUCK", len(ops)), ", each alone"
	}
	l.set(attnCRMStuck, fmt.Sprintf("CRM %s answers, but %s (%s to %s %s%s): syncd status, syncd outbox give-up",
		target, heading, why, syncd.Noun(len(ops), "operation", "operations"), shown, each))
}
