package storetest

import (
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testPendingLeft: PendingLeft counts a target's pending operations no
// lease holds and gives the earliest next attempt of one that waits
// behind no other (WaitsFor): a deal behind its contact, leased or not,
// is counted but not due; none of another CRM's.
func testPendingLeft(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.mapped(in, 1)
	e.mapped(in, 2)
	left := func(target string, want int, due time.Time) {
		t.Helper()
		got, err := e.Store.PendingLeft(e.ctx, target)
		if err != nil || got.Count != want || !got.NextDue.Equal(due) {
			t.Fatalf("pending left for %s = %+v, %v; want %d, the next due at %v", target, got, err, want, due)
		}
	}
	contacts, err := e.Store.ListOps(e.ctx, syncd.OpFilter{State: syncd.OpPending, Kind: syncd.RecordContact})
	if err != nil || len(contacts) != 2 {
		t.Fatalf("pending contacts = %+v, %v", contacts, err)
	}
	left("hubspot", 4, contacts[0].NextAttemptAt)
	left("pipedrive", 0, time.Time{})
	claimed := e.claim(e.Store, syncd.RecordContact, 10)
	if len(claimed) != 2 {
		t.Fatalf("claimed %+v", claimed)
	}
	left("hubspot", 2, time.Time{}) // the deals, each behind its contact, leased
	later := e.now().Add(time.Hour).UTC().Truncate(time.Second)
	claimed[0].State, claimed[0].NextAttemptAt, claimed[0].LastError = syncd.OpPending, later, "try later"
	claimed[1].State, claimed[1].CRMID = syncd.OpDone, "c-2"
	if err := e.Store.FinishOps(e.ctx, claimed); err != nil {
		t.Fatal(err)
	}
	deals, err := e.Store.ListOps(e.ctx, syncd.OpFilter{State: syncd.OpPending, Kind: syncd.RecordDeal})
	if err != nil || len(deals) != 2 {
		t.Fatalf("pending deals = %+v, %v", deals, err)
	}
	left("hubspot", 3, deals[1].NextAttemptAt) // the first contact later, its deal behind it; the second deal free
}
