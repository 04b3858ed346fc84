package storetest

import (
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testWaitsFor: WaitsFor names the pending operation a pending one waits
// behind, as the claim holds it back: a deal its contact's, whichever was
// enqueued first; any operation an older one on the same record; none
// once those are done, and none for another CRM's.
func testWaitsFor(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	ev := e.mapped(in, 1)
	ops, err := e.Store.ListOps(e.ctx, syncd.OpFilter{State: syncd.OpPending})
	if err != nil || len(ops) != 2 || ops[0].Kind != syncd.RecordContact {
		t.Fatalf("pending ops = %+v, %v", ops, err)
	}
	contact, deal := ops[0], ops[1]
	waits := func(op syncd.Op) int64 {
		t.Helper()
		got, ok, err := e.Store.WaitsFor(e.ctx, op)
		if err != nil || ok != (got.ID != 0) {
			t.Fatalf("waits for %d = %+v, %v, %v", op.ID, got, ok, err)
		}
		return got.ID
	}
	if got := waits(deal); got != contact.ID {
		t.Fatalf("the deal waits for %d; want its contact's operation %d", got, contact.ID)
	}
	if got := waits(contact); got != 0 {
		t.Fatalf("the contact waits for %d; want none", got)
	}
	other := deal
	other.Target = "pipedrive" // another CRM's deal of the same keys waits for nothing of hubspot's
	if got := waits(other); got != 0 {
		t.Fatalf("a pipedrive deal waits for hubspot's operation %d", got)
	}
	newer := lead(ev, 1)[:1] // the same contact again, another value: after the first
	newer[0].Properties["firstname"] = "Renamed"
	if n, err := e.Store.RecordMapping(e.ctx, ev, syncd.MapMapped, "", newer); err != nil || n != 1 {
		t.Fatalf("newer op: %d, %v", n, err)
	}
	ops, _ = e.Store.ListOps(e.ctx, syncd.OpFilter{State: syncd.OpPending, Kind: syncd.RecordContact})
	if len(ops) != 2 {
		t.Fatalf("pending contacts = %+v", ops)
	}
	second := ops[1]
	if got := waits(second); got != contact.ID {
		t.Fatalf("the newer contact operation waits for %d; want the older one, %d", got, contact.ID)
	}
	claimed := e.claim(e.Store, syncd.RecordContact, 10) // both, the newer with the older, leased: still waited for
	if len(claimed) != 2 || waits(deal) != contact.ID {
		t.Fatalf("claimed %+v; the deal waits for %d", claimed, waits(deal))
	}
	claimed[0].State, claimed[0].CRMID = syncd.OpDone, "c-1" // the second handed back, due at once
	if err := e.Store.FinishOps(e.ctx, claimed); err != nil {
		t.Fatal(err)
	}
	if got := waits(deal); got != second.ID {
		t.Fatalf("after the first contact operation, the deal waits for %d; want the second, %d", got, second.ID)
	}
	if got := waits(second); got != 0 {
		t.Fatalf("the second contact operation waits for %d once the first is done", got)
	}
	claimed, err = e.Store.FinishAndClaimOps(e.ctx, nil, "hubspot", syncd.RecordContact, 10, time.Minute)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim the second: %+v, %v", claimed, err)
	}
	claimed[0].State, claimed[0].CRMID = syncd.OpDone, "c-1"
	if err := e.Store.FinishOps(e.ctx, claimed); err != nil {
		t.Fatal(err)
	}
	if got := waits(deal); got != 0 {
		t.Fatalf("the deal waits for %d once its contact is done", got)
	}
}
