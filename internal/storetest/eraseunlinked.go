package storetest

import (
	"slices"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testEraseNamesUnlinkedDeals: a deal operation not done has no CRM link,
// though the CRM may hold its deal (HubSpot wrote it, and the daemon
// stopped before syncd recorded its id): the CRM erasure carries its key
// (the lead id) beside the linked deal's id, to find it by; another
// person's pending deal is not in it.
func testEraseNamesUnlinkedDeals(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.personLead(in, "a", jane, false)
	e.personLead(in, "b", jane, false)
	e.personLead(in, "c", bob, false)
	for ops := e.claim(e.Store, syncd.RecordContact, 100); len(ops) > 0; ops = e.claim(e.Store, syncd.RecordContact, 100) {
		for i := range ops {
			ops[i].State, ops[i].CRMID = syncd.OpDone, "crm-"+ops[i].Key
		}
		if err := e.Store.FinishOps(e.ctx, ops); err != nil {
			t.Fatal(err)
		}
	}
	deal := e.claim(e.Store, syncd.RecordDeal, 1) // a's: b's and c's stay pending
	if len(deal) != 1 || deal[0].Key != "deal-a" {
		t.Fatalf("claimed %+v; want the deal of a", deal)
	}
	deal[0].State, deal[0].CRMID = syncd.OpDone, "crm-deal-a"
	if err := e.Store.FinishOps(e.ctx, deal); err != nil {
		t.Fatal(err)
	}
	her := subjectOf(jane)
	er, err := e.erase(her, "hubspot")
	if err != nil || er.Links != 2 || er.CRMOps != 1 {
		t.Fatalf("erase: %+v, %v; want 2 links gone and 1 CRM erasure", er, err)
	}
	ops, _ := e.Store.ListOps(e.ctx, syncd.OpFilter{})
	i := slices.IndexFunc(ops, func(op syncd.Op) bool { return op.Kind == syncd.RecordErase })
	if i < 0 {
		t.Fatalf("no CRM erasure among %+v", ops)
	}
	contact, deals := ops[i].EraseTargets()
	if keys := ops[i].EraseDealKeys(); contact != "crm-"+jane.email || !slices.Equal(deals, []string{"crm-deal-a"}) ||
		!slices.Equal(keys, []string{"deal-b"}) {
		t.Errorf("CRM erasure of contact %q, deals %v and deal keys %v; want crm-%s, [crm-deal-a] and [deal-b]", contact, deals, keys, jane.email)
	}
}
