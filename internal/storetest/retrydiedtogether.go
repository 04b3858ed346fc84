package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testRetryRevivesTheUpdatesThatDiedTogether: a contact's pending updates
// are claimed and sent as one, and die as one (one finish, one error).
// Retrying one of them revived it alone: it was sent without the others,
// which stayed dead, and the CRM missed their values (the latest). A
// retry now revives the contact's updates that died with the one retried,
// and no update of the contact that died in an earlier finish. Retrying a
// deal that died for want of its contact revives the contact's newest
// update with those that died with it.
func testRetryRevivesTheUpdatesThatDiedTogether(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	update := func(i int, name string) {
		t.Helper()
		ev := e.event(in, fmt.Sprintf("update-%d-%s", i, name))
		op := lead(ev, i)[:1]
		op[0].Properties["firstname"] = name
		if n, err := e.Store.RecordMapping(e.ctx, ev, syncd.MapMapped, "", op); err != nil || n != 1 {
			t.Fatalf("update %s: %d, %v", name, n, err)
		}
	}
	die := func(kind syncd.RecordKind, want int, cause syncd.DeadCause) []syncd.Op {
		t.Helper()
		ops := e.claim(e.Store, kind, 10)
		if len(ops) != want {
			t.Fatalf("claimed %d %s ops (%s); want %d", len(ops), kind, firstNames(ops), want)
		}
		for i := range ops { // as the syncer finishes a contact's updates: one outcome for all
			ops[i].State, ops[i].LastError, ops[i].DeadCause = syncd.OpDead, "400 INVALID: refused", cause
		}
		if err := e.Store.FinishOps(e.ctx, ops); err != nil {
			t.Fatal(err)
		}
		e.advance(time.Second)
		return ops
	}
	e.mapped(in, 1)
	alone := die(syncd.RecordContact, 1, "")[0] // died before the others, in a finish of its own
	deal := die(syncd.RecordDeal, 1, syncd.DeadNoContact)[0]
	update(1, "Second")
	update(1, "Third")
	together := die(syncd.RecordContact, 2, "")
	with, err := e.Store.RetryDeadOp(e.ctx, together[0].ID)
	slices.Sort(with)
	if want := []int64{deal.ID, together[1].ID}; err != nil || !slices.Equal(with, want) {
		t.Fatalf("retry op %d: revived with it %v, %v; want the update that died with it and the deal, %v",
			together[0].ID, with, err, want)
	}
	if op, _ := e.Store.GetOp(e.ctx, alone.ID); op.State != syncd.OpDead {
		t.Errorf("op %d, dead in an earlier finish, is %s after the retry; want dead", alone.ID, op.State)
	}
	if got := e.claim(e.Store, syncd.RecordContact, 10); firstNames(got) != "lead1@example.com: Second Third" {
		t.Errorf("claimed after the retry: %s; want the two updates as one", firstNames(got))
	}

	e.mapped(in, 2)
	update(2, "Second")
	contact := die(syncd.RecordContact, 2, "")
	deal = die(syncd.RecordDeal, 1, syncd.DeadNoContact)[0]
	with, err = e.Store.RetryDeadOp(e.ctx, deal.ID)
	slices.Sort(with)
	if want := []int64{contact[0].ID, contact[1].ID}; err != nil || !slices.Equal(with, want) {
		t.Fatalf("retry deal %d: revived with it %v, %v; want its contact's two updates, which died together, %v",
			deal.ID, with, err, want)
	}
}

// testGiveUpTakesTheUpdatesThatDiedTogether: giving up one of a contact's
// updates that died together (the operator entered the contact in the CRM
// by hand) gives up those that died with it, as one write, and the deal
// dead for want of them; a retry of it brings them all back. Given up
// alone, the others stayed dead letters, which a later retry sent without
// it. An update of the contact dead in an earlier finish is left as it
// was.
func testGiveUpTakesTheUpdatesThatDiedTogether(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.mapped(in, 1)
	alone := e.claim(e.Store, syncd.RecordContact, 10)
	for _, name := range []string{"Second", "Third"} {
		ev := e.event(in, "update-1-"+name)
		op := lead(ev, 1)[:1]
		op[0].Properties["firstname"] = name
		if n, err := e.Store.RecordMapping(e.ctx, ev, syncd.MapMapped, "", op); err != nil || n != 1 {
			t.Fatalf("update %s: %d, %v", name, n, err)
		}
	}
	if len(alone) != 1 {
		t.Fatalf("claimed %s; want the first update alone", firstNames(alone))
	}
	alone[0].State, alone[0].LastError = syncd.OpDead, "400 INVALID: refused"
	if err := e.Store.FinishOps(e.ctx, alone); err != nil {
		t.Fatal(err)
	}
	e.advance(time.Second)
	together := e.claim(e.Store, syncd.RecordContact, 10)
	if firstNames(together) != "lead1@example.com: Second Third" {
		t.Fatalf("claimed %s; want the two later updates", firstNames(together))
	}
	for i := range together {
		together[i].State, together[i].LastError = syncd.OpDead, "400 INVALID: refused"
	}
	if err := e.Store.FinishOps(e.ctx, together); err != nil {
		t.Fatal(err)
	}
	deals := e.claim(e.Store, syncd.RecordDeal, 10)
	if len(deals) != 1 {
		t.Fatalf("claimed deals %+v; want the lead's", deals)
	}
	deals[0].State, deals[0].LastError, deals[0].DeadCause = syncd.OpDead, "contact not in CRM", syncd.DeadNoContact
	if err := e.Store.FinishOps(e.ctx, deals); err != nil {
		t.Fatal(err)
	}
	e.advance(time.Second)
	with, err := e.Store.GiveUpOp(e.ctx, together[1].ID, "hubspot", "given up by hand")
	if want := []int64{together[0].ID, deals[0].ID}; err != nil || !slices.Equal(with, want) {
		t.Fatalf("give up op %d: with it %v, %v; want the update that died with it, then the deal, %v", together[1].ID, with, err, want)
	}
	if op, _ := e.Store.GetOp(e.ctx, together[0].ID); op.DeadCause != syncd.DeadGivenUp {
		t.Errorf("op %d, dead with the one given up, is %s %q; want given up", op.ID, op.State, op.DeadCause)
	}
	if op, _ := e.Store.GetOp(e.ctx, alone[0].ID); op.DeadCause != "" {
		t.Errorf("op %d, dead in an earlier finish, is %s %q; want dead, not given up", op.ID, op.State, op.DeadCause)
	}
	with, err = e.Store.RetryDeadOp(e.ctx, together[0].ID)
	slices.Sort(with)
	if want := []int64{deals[0].ID, together[1].ID}; err != nil || !slices.Equal(with, want) {
		t.Fatalf("retry op %d: revived with it %v, %v; want those given up with it, %v", together[0].ID, with, err, want)
	}
}
