package storetest

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testForgetLinks: the agency moved to another account of its CRM. Every
// CRM id and create intent of that target is forgotten, and the newest
// delivered operation of each record is pending again; a record whose
// newest operation is dead stays dead, and another target keeps its own.
func testForgetLinks(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.mapped(in, 1)
	e.mapped(in, 2)
	contacts := e.claim(e.Store, syncd.RecordContact, 10)
	contacts[0].State, contacts[0].CRMID = syncd.OpDone, "c-1"
	contacts[1].State, contacts[1].LastError = syncd.OpDead, "VALIDATION_ERROR"
	e.Store.FinishOps(e.ctx, contacts)
	deals := e.claim(e.Store, syncd.RecordDeal, 10)
	if len(deals) == 0 {
		t.Fatal("no deal claimed")
	}
	for i := range deals {
		deals[i].State, deals[i].CRMID = syncd.OpDone, "d-1"
	}
	e.Store.FinishOps(e.ctx, deals)
	e.Store.SetIntent(e.ctx, "hubspot", syncd.RecordDeal, "lead-x", e.now())
	e.Store.SetLink(e.ctx, "pipedrive", syncd.RecordContact, "lead1@example.com", "p-1")

	f, err := e.Store.ForgetLinks(e.ctx, "hubspot")
	want := syncd.ForgottenLinks{Links: 1 + len(deals), Intents: 1, Requeued: 1 + len(deals)}
	if err != nil || f != want {
		t.Fatalf("forget = %+v, %v; want %+v", f, err, want)
	}
	for _, op := range append(contacts[:1], deals...) {
		got, _ := e.Store.GetOp(e.ctx, op.ID)
		if got.State != syncd.OpPending || got.CRMID != "" || got.Attempts != 0 || got.LastError == "" {
			t.Fatalf("requeued op = %+v", got)
		}
	}
	if dead, _ := e.Store.GetOp(e.ctx, contacts[1].ID); dead.State != syncd.OpDead {
		t.Fatalf("dead op = %+v", dead)
	}
	if id, _ := e.Store.Link(e.ctx, "hubspot", syncd.RecordContact, "lead1@example.com"); id != "" {
		t.Fatalf("link kept: %q", id)
	}
	if at, _ := e.Store.Intent(e.ctx, "hubspot", syncd.RecordDeal, "lead-x"); !at.IsZero() {
		t.Fatalf("intent kept: %v", at)
	}
	if id, _ := e.Store.Link(e.ctx, "pipedrive", syncd.RecordContact, "lead1@example.com"); id != "p-1" {
		t.Fatalf("another target's link = %q", id)
	}
	if f, _ := e.Store.ForgetLinks(e.ctx, "hubspot"); f.Links != 0 || f.Requeued != 0 {
		t.Fatalf("again, with operations pending = %+v", f)
	}
}

// testForgetLinksErasures: the CRM erasures still pending when the agency
// moved hold the CRM ids of the account it left, which name other records
// (or none) in the account the token belongs to now. Sent there, they
// erased whoever had those ids; now forget-links makes them dead, saying
// why, and the syncer claims none.
func testForgetLinksErasures(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.personLead(in, "sent", jane, false)
	e.deliverAll()
	if _, err := e.erase(subjectOf(jane), "hubspot"); err != nil {
		t.Fatal(err)
	}
	f, err := e.Store.ForgetLinks(e.ctx, "hubspot")
	if err != nil || f.Erasures != 1 {
		t.Fatalf("forget = %+v, %v; want the pending erasure counted", f, err)
	}
	if ops := e.claim(e.Store, syncd.RecordErase, 10); len(ops) != 0 {
		t.Fatalf("the old account's erasure is sent after forget-links: %+v", ops)
	}
	dead, err := e.Store.ListOps(e.ctx, syncd.OpFilter{State: syncd.OpDead, Kind: syncd.RecordErase})
	if err != nil || len(dead) != 1 || !strings.Contains(dead[0].LastError, "forget-links") {
		t.Fatalf("dead erasures = %+v, %v; want the one forgotten, saying why", dead, err)
	}
}
