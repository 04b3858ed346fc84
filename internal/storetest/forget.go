package storetest

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testForgetLinks: the agency moved to another account of its CRM. Every
// CRM id and create intent of that target is forgotten, and every
// delivered operation of each contact and the newest of each deal is
// pending again; an operation that is dead stays dead, and another target
// keeps its own.
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
	want := syncd.ForgottenLinks{Links: 1 + len(deals), Intents: 1, Requeued: 1, RequeuedDeals: len(deals)}
	if err != nil || f != want {
		t.Fatalf("forget = %+v, %v; want %+v", f, err, want)
	}
	for _, op := range append([]syncd.Op{contacts[0]}, deals...) { // not contacts[:1]: an append there could write over contacts[1]
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
	if f, _ := e.Store.ForgetLinks(e.ctx, "hubspot"); f.Links != 0 || f.Requeued+f.RequeuedDeals != 0 {
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

// testForgetLinksErasuresStayUnsent: a CRM erasure forget-links made dead
// (pending then, or dead already: a retry would have sent it) holds the
// earlier account's ids, so no retry sends it: RetryDeadOp refuses it
// (EInvalid), RetryAllDeadOps leaves it and counts it apart. Given up by
// hand (the person erased there by hand), it is given up as any other
// (counted in GivenUp) and still never sent again.
func testForgetLinksErasuresStayUnsent(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.personLead(in, "sent-j", jane, false)
	e.personLead(in, "sent-b", bob, false)
	e.deliverAll()
	if _, err := e.erase(subjectOf(bob), "hubspot"); err != nil {
		t.Fatal(err)
	}
	died := e.claim(e.Store, syncd.RecordErase, 10)
	if len(died) != 1 {
		t.Fatalf("claimed %d erasures, want bob's", len(died))
	}
	died[0].State, died[0].LastError = syncd.OpDead, "HTTP 500"
	if err := e.Store.FinishOps(e.ctx, died); err != nil {
		t.Fatal(err)
	}
	if _, err := e.erase(subjectOf(jane), "hubspot"); err != nil {
		t.Fatal(err)
	}
	if f, err := e.Store.ForgetLinks(e.ctx, "hubspot"); err != nil || f.Erasures != 2 {
		t.Fatalf("forget = %+v, %v; want both erasures, the pending and the dead one, counted", f, err)
	}
	erasures, err := e.Store.ListOps(e.ctx, syncd.OpFilter{Kind: syncd.RecordErase, Limit: -1})
	if err != nil || len(erasures) != 2 {
		t.Fatalf("erasures = %+v, %v", erasures, err)
	}
	for _, op := range erasures {
		if op.State != syncd.OpDead || op.DeadCause != syncd.DeadOtherAccount {
			t.Fatalf("erasure after forget-links = %+v; want dead, cause %s", op, syncd.DeadOtherAccount)
		}
		if _, err := e.Store.RetryDeadOp(e.ctx, op.ID); syncd.ErrorCode(err) != syncd.EInvalid {
			t.Fatalf("retry of the earlier account's erasure %d: %v; want EInvalid", op.ID, err)
		}
	}
	if n, kept, _, err := e.Store.RetryAllDeadOps(e.ctx, "hubspot"); err != nil || n != 0 || kept != 2 {
		t.Fatalf("retry all = %d revived, %d kept, %v; want 0 and 2", n, kept, err)
	}
	if ops := e.claim(e.Store, syncd.RecordErase, 10); len(ops) != 0 {
		t.Fatalf("the earlier account's erasures are sent after a retry: %+v", ops)
	}
	const reason = "given up by hand"
	jid := erasures[0].ID
	if with, err := e.Store.GiveUpOp(e.ctx, jid, "hubspot", reason); err != nil || len(with) != 0 {
		t.Fatalf("give up the earlier account's erasure: %v, %v", with, err)
	}
	op, err := e.Store.GetOp(e.ctx, jid)
	if err != nil || op.State != syncd.OpDead || op.DeadCause != syncd.DeadOtherAccountGivenUp || !strings.HasPrefix(op.LastError, reason) {
		t.Fatalf("given up: %+v, %v; want dead, cause %s, %q first", op, err, syncd.DeadOtherAccountGivenUp, reason)
	}
	depths, err := e.Store.OutboxDepths(e.ctx)
	if err != nil || len(depths) != 1 || depths[0].GivenUp != 1 || depths[0].Dead != 2 ||
		depths[0].OtherAccount != 1 || depths[0].OtherAccountGivenUp != 1 {
		t.Fatalf("depths = %+v, %v; want 2 dead, 1 of them given up, done by hand, 1 to erase by hand", depths, err)
	}
	if _, err := e.Store.RetryDeadOp(e.ctx, jid); syncd.ErrorCode(err) != syncd.EInvalid {
		t.Fatalf("retry of the erasure given up: %v; want EInvalid", err)
	}
	if _, err := e.Store.GiveUpOp(e.ctx, jid, "hubspot", reason); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("give up again: %v; want ENotFound", err)
	}
	if n, kept, _, err := e.Store.RetryAllDeadOps(e.ctx, ""); err != nil || n != 0 || kept != 2 {
		t.Fatalf("retry all = %d revived, %d kept, %v; want 0 and 2", n, kept, err)
	}
	if f, err := e.Store.ForgetLinks(e.ctx, "hubspot"); err != nil || f.Erasures != 0 {
		t.Fatalf("forget again = %+v, %v; want no erasure counted twice", f, err)
	}
	if op, _ := e.Store.GetOp(e.ctx, jid); op.DeadCause != syncd.DeadOtherAccountGivenUp {
		t.Fatalf("given up, after forget-links again: %+v", op)
	}
}

// testForgetLinksErasureGivenUp: a CRM erasure given up by hand before
// the agency moved (the person to erase there by hand) stays given up, no
// alarm, and not among the erasures forget-links counts as made dead, but
// it holds the earlier account's ids too: no retry sends it.
func testForgetLinksErasureGivenUp(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.personLead(in, "sent", jane, false)
	e.deliverAll()
	if _, err := e.erase(subjectOf(jane), "hubspot"); err != nil {
		t.Fatal(err)
	}
	erasures, err := e.Store.ListOps(e.ctx, syncd.OpFilter{Kind: syncd.RecordErase, Limit: -1})
	if err != nil || len(erasures) != 1 {
		t.Fatalf("erasures = %+v, %v", erasures, err)
	}
	id := erasures[0].ID
	if _, err := e.Store.GiveUpOp(e.ctx, id, "hubspot", "given up by hand"); err != nil {
		t.Fatal(err)
	}
	if f, err := e.Store.ForgetLinks(e.ctx, "hubspot"); err != nil || f.Erasures != 0 {
		t.Fatalf("forget = %+v, %v; want the erasure given up not counted as made dead", f, err)
	}
	if op, _ := e.Store.GetOp(e.ctx, id); op.State != syncd.OpDead || !op.DeadCause.GivenUp() || !op.DeadCause.OtherAccount() {
		t.Fatalf("the erasure given up, after forget-links: %+v; want given up, of the earlier account", op)
	}
	if _, err := e.Store.RetryDeadOp(e.ctx, id); syncd.ErrorCode(err) != syncd.EInvalid {
		t.Fatalf("retry of it: %v; want EInvalid", err)
	}
}
