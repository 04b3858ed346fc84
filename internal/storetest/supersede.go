package storetest

import (
	"slices"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testDropSuperseded: once an event's corrected operations are enqueued (a
// replay after a mapping fix), its older ones on the same records that
// never reached the CRM are dropped: pending ones no syncer holds and dead
// ones; one being sent, one done and other events' are kept. A dry run
// (SupersededOps, before the corrected ones are enqueued) names the same
// and changes nothing.
func testDropSuperseded(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	ev := e.mapped(in, 1)
	other := e.mapped(in, 2)
	old := e.opsOf(ev)
	held := e.claim(e.Store, syncd.RecordContact, 10) // both events' contacts, being sent
	fixed := lead(ev, 1)
	fixed[0].Properties["firstname"], fixed[1].Properties["dealname"] = "Fixed", "Fixed deal"
	if ids, _, err := e.Store.SupersededOps(e.ctx, ev, fixed); err != nil || !slices.Equal(ids, []int64{old[1].ID}) {
		t.Fatalf("dry run: would drop %v, %v; want the pending deal %d only", ids, err, old[1].ID)
	}
	if n := len(e.opsOf(ev)); n != 2 {
		t.Fatalf("after the dry run the event has %d ops, want its 2", n)
	}
	if n, err := e.Store.RecordMapping(e.ctx, ev, syncd.MapMapped, "", fixed); err != nil || n != 2 {
		t.Fatalf("fixed ops: %d, %v", n, err)
	}
	ids, _, err := e.Store.DropSupersededOps(e.ctx, ev, fixed)
	if err != nil || !slices.Equal(ids, []int64{old[1].ID}) {
		t.Fatalf("dropped %v, %v; want the pending deal %d only (its contact is being sent)", ids, err, old[1].ID)
	}
	if _, err := e.Store.GetOp(e.ctx, old[1].ID); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("dropped op still there: %v", err)
	}
	for i := range held {
		held[i].State, held[i].LastError = syncd.OpDead, "refused"
	}
	if err := e.Store.FinishOps(e.ctx, held); err != nil {
		t.Fatal(err)
	}
	if ids, _, err = e.Store.DropSupersededOps(e.ctx, ev, fixed); err != nil || !slices.Equal(ids, []int64{old[0].ID}) {
		t.Fatalf("then dropped %v, %v; want the dead contact %d", ids, err, old[0].ID)
	}
	if n := len(e.opsOf(other)); n != 2 {
		t.Fatalf("the other event has %d ops left, want its 2", n)
	}
	if ids, _, err = e.Store.DropSupersededOps(e.ctx, ev, fixed); err != nil || len(ids) != 0 {
		t.Fatalf("again: dropped %v, %v; want none (the fixed ops are the newest)", ids, err)
	}
}

// opsOf returns event ev's operations in id order.
func (e *env) opsOf(ev int64) []syncd.Op {
	e.t.Helper()
	all, err := e.Store.ListOps(e.ctx, syncd.OpFilter{Limit: -1})
	if err != nil {
		e.t.Fatal(err)
	}
	var ops []syncd.Op
	for _, op := range all {
		if op.EventID == ev {
			ops = append(ops, op)
		}
	}
	return ops
}

// testDropSupersededRevivesDeals: a contact the CRM refused (dead) took its
// deal with it (dead, waiting for the contact); a replay that enqueues the
// corrected contact leaves the deal's operation as it was (identical, so not
// enqueued again). Dropping the dead contact revives that deal, as
// retrying it would, or the deal never reached the CRM.
func testDropSupersededRevivesDeals(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	ev := e.mapped(in, 1)
	contact := e.claim(e.Store, syncd.RecordContact, 10)
	contact[0].State, contact[0].LastError = syncd.OpDead, "refused"
	if err := e.Store.FinishOps(e.ctx, contact); err != nil {
		t.Fatal(err)
	}
	deal := e.claim(e.Store, syncd.RecordDeal, 10)
	deal[0].State, deal[0].LastError, deal[0].DeadCause = syncd.OpDead, "contact not in CRM", syncd.DeadNoContact
	if err := e.Store.FinishOps(e.ctx, deal); err != nil {
		t.Fatal(err)
	}
	fixed := lead(ev, 1)
	fixed[0].Properties["firstname"] = "Fixed"
	ids, revived, err := e.Store.SupersededOps(e.ctx, ev, fixed[:1])
	if err != nil || !slices.Equal(ids, []int64{contact[0].ID}) || !slices.Equal(revived, []int64{deal[0].ID}) {
		t.Fatalf("dry run: would drop %v, revive %v, %v; want the dead contact %d and its deal %d", ids, revived, err, contact[0].ID, deal[0].ID)
	}
	if op, err := e.Store.GetOp(e.ctx, deal[0].ID); err != nil || op.State != syncd.OpDead {
		t.Fatalf("after the dry run the deal is %+v, %v; want it dead still", op, err)
	}
	if n, err := e.Store.RecordMapping(e.ctx, ev, syncd.MapMapped, "", fixed); err != nil || n != 1 {
		t.Fatalf("fixed contact: %d, %v", n, err)
	}
	ids, revived, err = e.Store.DropSupersededOps(e.ctx, ev, fixed[:1])
	if err != nil || !slices.Equal(ids, []int64{contact[0].ID}) || !slices.Equal(revived, []int64{deal[0].ID}) {
		t.Fatalf("dropped %v, revived %v, %v; want the dead contact %d and its deal %d", ids, revived, err, contact[0].ID, deal[0].ID)
	}
	if op, err := e.Store.GetOp(e.ctx, deal[0].ID); err != nil || op.State != syncd.OpPending {
		t.Fatalf("the deal that died waiting for the contact: %+v, %v; want it pending again", op, err)
	}
}

// testDropSupersededRevivesNoDealGivenUp: a person's two leads both
// failed, their contact refused and their deals dead for want of it; the
// operator entered the second lead's deal in the CRM by hand and gave its
// operation up (`syncd outbox give-up`). A replay of the first lead that
// drops its dead contact revives the first lead's deal, which died waiting
// for it, and leaves the second's given up: revived, it would go to the
// CRM beside the one entered by hand.
func testDropSupersededRevivesNoDealGivenUp(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	first := e.mapped(in, 1)
	second := e.event(in, "lead-key-2")
	again := lead(second, 2)
	again[0].Key, again[0].Properties["email"], again[0].Properties["firstname"] = "lead1@example.com", "lead1@example.com", "Again"
	again[1].ContactKey = "lead1@example.com"
	if n, err := e.Store.RecordMapping(e.ctx, second, syncd.MapMapped, "", again); err != nil || n != 2 {
		t.Fatalf("the second lead's ops: %d, %v", n, err)
	}
	contacts := e.claim(e.Store, syncd.RecordContact, 10) // the record's contact operations go together
	if len(contacts) != 2 {
		t.Fatalf("claimed contacts %+v, want both", contacts)
	}
	for i := range contacts {
		contacts[i].State, contacts[i].LastError = syncd.OpDead, "refused"
	}
	if err := e.Store.FinishOps(e.ctx, contacts); err != nil {
		t.Fatal(err)
	}
	deals := e.claim(e.Store, syncd.RecordDeal, 10)
	if len(deals) != 2 {
		t.Fatalf("claimed deals %+v, want both", deals)
	}
	var firstDeal, secondDeal int64
	for i := range deals { // as the syncer dead-letters a deal whose contact died
		deals[i].State, deals[i].LastError, deals[i].DeadCause = syncd.OpDead, "contact not in CRM", syncd.DeadNoContact
		if deals[i].EventID == first {
			firstDeal = deals[i].ID
		} else {
			secondDeal = deals[i].ID
		}
	}
	if err := e.Store.FinishOps(e.ctx, deals); err != nil {
		t.Fatal(err)
	}
	if with, err := e.Store.GiveUpOp(e.ctx, secondDeal, "hubspot", ""); err != nil || len(with) != 0 {
		t.Fatalf("give-up of the second lead's deal: %v, %v", with, err)
	}
	fixed := lead(first, 1)
	fixed[0].Properties["firstname"] = "Fixed"
	if _, revived, err := e.Store.SupersededOps(e.ctx, first, fixed[:1]); err != nil || !slices.Equal(revived, []int64{firstDeal}) {
		t.Fatalf("dry run: would revive %v, %v; want the first lead's deal %d alone", revived, err, firstDeal)
	}
	if n, err := e.Store.RecordMapping(e.ctx, first, syncd.MapMapped, "", fixed); err != nil || n != 1 {
		t.Fatalf("fixed contact: %d, %v", n, err)
	}
	if _, revived, err := e.Store.DropSupersededOps(e.ctx, first, fixed[:1]); err != nil || !slices.Equal(revived, []int64{firstDeal}) {
		t.Fatalf("revived %v, %v; want the first lead's deal %d alone", revived, err, firstDeal)
	}
	if op, err := e.Store.GetOp(e.ctx, secondDeal); err != nil || op.State != syncd.OpDead || op.DeadCause != syncd.DeadGivenUp {
		t.Fatalf("the deal given up by hand: %+v, %v; want it given up still", op, err)
	}
}
