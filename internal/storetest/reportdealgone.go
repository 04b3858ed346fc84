package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testReportDealDeletedInCRM: a lead whose deal operation was done with
// the deal found deleted in the CRM (syncd.DoneDeletedInCRM) stands as
// deleted there on the report's Leads sheet, with the id the deal had,
// and its operation keeps the cause; one whose deal was written stands
// as synced. The store dropped the cause of a done operation, and the
// report said the CRM had the deal.
func testReportDealDeletedInCRM(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	from := e.now()
	gone, kept := e.mapped(in, 1), e.mapped(in, 2)
	for _, kind := range []syncd.RecordKind{syncd.RecordContact, syncd.RecordDeal} {
		ops := e.claim(e.Store, kind, 2)
		if len(ops) != 2 {
			t.Fatalf("claimed %d %s operations, want 2", len(ops), kind)
		}
		for i := range ops {
			ops[i].State, ops[i].CRMID = syncd.OpDone, fmt.Sprint(kind, "-", ops[i].EventID)
			if kind == syncd.RecordDeal && ops[i].EventID == gone {
				ops[i].DeadCause = syncd.DoneDeletedInCRM
			}
		}
		if err := e.Store.FinishOps(e.ctx, ops); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	err := e.Store.EachLead(e.ctx, from, e.now().Add(time.Second), "hubspot", func(r *syncd.LeadRow) error {
		got = append(got, fmt.Sprintf("%d %s %s", r.EventID, r.Status, r.DealID))
		return nil
	})
	want := []string{fmt.Sprintf("%d %s deal-%d", gone, syncd.CRMDeletedInCRM, gone),
		fmt.Sprintf("%d %s deal-%d", kept, syncd.CRMSynced, kept)}
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("leads = %q, %v; want %q", got, err, want)
	}
	done, err := e.Store.ListOps(e.ctx, syncd.OpFilter{Kind: syncd.RecordDeal, State: syncd.OpDone, Limit: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range done {
		if want := map[bool]syncd.DeadCause{true: syncd.DoneDeletedInCRM}[op.EventID == gone]; op.DeadCause != want {
			t.Errorf("deal operation of event %d: cause %q, want %q", op.EventID, op.DeadCause, want)
		}
	}
}
