package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testRetryDeadDealRevivesItsSiblings: a client's two leads, one contact
// operation (the second lead's contact was as the first's) and two deals.
// The CRM refused the contact, and both deals died for want of it.
// Retrying one deal revived the contact and that deal, but left the other
// deal dead, which the contact, once in the CRM, no longer held back: a
// dead letter that needed a retry of its own. Retrying a deal that
// revives its contact now revives what retrying the contact would: its
// deals dead for want of it.
func testRetryDeadDealRevivesItsSiblings(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	first := e.mapped(in, 1)
	ev := e.event(in, "lead-key-1-again")
	again := lead(ev, 1)
	again[1].Key, again[1].Properties = "lead-1b", map[string]string{"dealname": "Deal 1b"}
	if n, err := e.Store.RecordMapping(e.ctx, ev, syncd.MapMapped, "", again); err != nil || n != 1 {
		t.Fatalf("second lead of event %d: %d ops, %v; want its deal alone", first, n, err)
	}
	c := e.claim(e.Store, syncd.RecordContact, 1)
	c[0].State, c[0].LastError = syncd.OpDead, "VALIDATION_ERROR"
	d, err := e.Store.FinishAndClaimOps(e.ctx, c, "hubspot", syncd.RecordDeal, 2, time.Minute)
	if err != nil || len(d) != 2 {
		t.Fatalf("deals after a dead contact: %+v, %v", d, err)
	}
	for i := range d {
		d[i].State, d[i].LastError, d[i].DeadCause = syncd.OpDead, "contact not in CRM", syncd.DeadNoContact
	}
	if err := e.Store.FinishOps(e.ctx, d); err != nil {
		t.Fatal(err)
	}
	with, err := e.Store.RetryDeadOp(e.ctx, d[0].ID)
	slices.Sort(with)
	if want := []int64{c[0].ID, d[1].ID}; err != nil || fmt.Sprint(with) != fmt.Sprint(want) {
		t.Fatalf("retry deal %d: revived with it %v, %v; want its contact and the other deal, %v", d[0].ID, with, err, want)
	}
	for _, id := range []int64{c[0].ID, d[0].ID, d[1].ID} {
		if op, _ := e.Store.GetOp(e.ctx, id); op.State != syncd.OpPending || op.DeadCause != "" {
			t.Errorf("op %d after retrying deal %d = %s %q; want pending", id, d[0].ID, op.State, op.DeadCause)
		}
	}
}
