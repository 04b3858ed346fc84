package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testGiveUpOp: a pending operation no syncer holds is given up (dead, the
// reason before its last error, counted apart from the other dead letters)
// and retried back; one held by a syncer, one done, one given up already,
// one of another CRM and one that is not there are refused with ENotFound and
// left as they were. A contact given up takes its pending deal with it;
// retrying the contact brings back its deals given up, with it or on
// their own (a deal alone is no lead).
func testGiveUpOp(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.mapped(in, 1)
	e.mapped(in, 2)
	c := e.claim(e.Store, syncd.RecordContact, 2)
	if len(c) != 2 {
		t.Fatalf("claimed %d contacts, want 2", len(c))
	}
	c[0].State, c[0].Attempts, c[0].LastError = syncd.OpPending, 1, "504 Gateway Timeout"
	c[1].State, c[1].CRMID = syncd.OpDone, "c-2"
	if err := e.Store.FinishOps(e.ctx, c); err != nil {
		t.Fatal(err)
	}
	const reason = "given up by hand"
	if _, err := e.Store.GiveUpOp(e.ctx, c[0].ID, "pipedrive", reason); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("give up another CRM's op: %v; want ENotFound", err)
	}
	if _, err := e.Store.GiveUpOp(e.ctx, c[1].ID, "hubspot", reason); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("give up a done op: %v; want ENotFound", err)
	}
	if _, err := e.Store.GiveUpOp(e.ctx, c[1].ID+1000, "hubspot", reason); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("give up no op: %v; want ENotFound", err)
	}
	deals, err := e.Store.ListOps(e.ctx, syncd.OpFilter{Kind: syncd.RecordDeal, Limit: -1})
	if err != nil || len(deals) != 2 {
		t.Fatalf("deals: %v, %v", deals, err)
	}
	if with, err := e.Store.GiveUpOp(e.ctx, c[0].ID, "hubspot", reason); err != nil || !slices.Equal(with, []int64{deals[0].ID}) {
		t.Fatalf("give up: %v, %v; want its deal %d with it", with, err, deals[0].ID)
	}
	op, err := e.Store.GetOp(e.ctx, c[0].ID)
	if err != nil || op.State != syncd.OpDead || op.DeadCause != syncd.DeadGivenUp || !strings.HasPrefix(op.LastError, reason) ||
		!strings.Contains(op.LastError, "504 Gateway Timeout") {
		t.Fatalf("given up: %+v, %v; want dead, given up, %q then the last error", op, err, reason)
	}
	if op, _ := e.Store.GetOp(e.ctx, deals[0].ID); op.State != syncd.OpDead || op.DeadCause != syncd.DeadGivenUp {
		t.Fatalf("its deal: %+v; want dead, given up", op)
	}
	if _, err := e.Store.GiveUpOp(e.ctx, c[0].ID, "hubspot", reason); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("give up an op given up already: %v; want ENotFound", err)
	}
	held := e.claim(e.Store, syncd.RecordDeal, 2)
	if len(held) != 1 || held[0].ID != deals[1].ID {
		t.Fatalf("claimed %v once the contact and its deal were given up, want the other deal", held)
	}
	// a deal held by a syncer is refused
	if _, err := e.Store.GiveUpOp(e.ctx, held[0].ID, "hubspot", reason); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("give up a held op: %v; want ENotFound", err)
	}
	if op, _ := e.Store.GetOp(e.ctx, held[0].ID); op.State != syncd.OpPending {
		t.Fatalf("held op after a refused give-up: %+v; want pending", op)
	}
	depths, err := e.Store.OutboxDepths(e.ctx)
	if err != nil || len(depths) != 1 || depths[0].Dead != 2 || depths[0].GivenUp != 2 {
		t.Fatalf("depths: %+v, %v; want 2 dead, both given up", depths, err)
	}
	if with, err := e.Store.RetryDeadOp(e.ctx, c[0].ID); err != nil || !slices.Equal(with, []int64{deals[0].ID}) {
		t.Fatalf("retry the given-up op: %v, %v; want its deal with it", with, err)
	}
	if op, _ := e.Store.GetOp(e.ctx, c[0].ID); op.State != syncd.OpPending || op.Attempts != 0 {
		t.Fatalf("retried: %+v; want pending, no attempts", op)
	}

	// A deal given up on its own, then its contact: the contact's retry
	// brings the deal back too.
	if with, err := e.Store.GiveUpOp(e.ctx, deals[0].ID, "hubspot", reason); err != nil || len(with) != 0 {
		t.Fatalf("give up the deal alone: %v, %v", with, err)
	}
	if with, err := e.Store.GiveUpOp(e.ctx, c[0].ID, "hubspot", reason); err != nil || len(with) != 0 {
		t.Fatalf("give up its contact after it: %v, %v; want no deal with it", with, err)
	}
	if with, err := e.Store.RetryDeadOp(e.ctx, c[0].ID); err != nil || !slices.Equal(with, []int64{deals[0].ID}) {
		t.Fatalf("retry the contact: %v, %v; want the deal given up on its own with it", with, err)
	}
	if depths, err := e.Store.OutboxDepths(e.ctx); err != nil || depths[0].Dead != 0 || depths[0].GivenUp != 0 {
		t.Fatalf("depths after the retries: %+v, %v; want none dead", depths, err)
	}
}

// testGivenUpAttention: operations given up by hand are rows of the Needs
// attention sheet of their own kind (given up), apart from the dead
// letters the CRM refused: status counts no attention for them, and the
// report said "dead" of them and counted them as needing it.
func testGivenUpAttention(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	from := e.now()
	e.mapped(in, 1)
	e.mapped(in, 2)
	c := e.claim(e.Store, syncd.RecordContact, 2)
	if len(c) != 2 {
		t.Fatalf("claimed %d contacts, want 2", len(c))
	}
	c[0].State, c[0].Attempts, c[0].LastError = syncd.OpPending, 1, "504 Gateway Timeout"
	c[1].State, c[1].Attempts, c[1].LastError = syncd.OpDead, 1, "400 INVALID_EMAIL"
	if err := e.Store.FinishOps(e.ctx, c); err != nil {
		t.Fatal(err)
	}
	e.advance(time.Second)
	with, err := e.Store.GiveUpOp(e.ctx, c[0].ID, "hubspot", "given up by hand")
	if err != nil || len(with) != 1 {
		t.Fatalf("give up: %v, %v; want its deal with it", with, err)
	}
	kinds := map[int64]syncd.AttentionKind{}
	err = e.Store.EachAttention(e.ctx, from, e.now().Add(time.Second), func(r *syncd.AttentionRow) error {
		kinds[r.ID] = r.Kind
		return nil
	})
	want := map[int64]syncd.AttentionKind{c[0].ID: syncd.AttentionGivenUp, with[0]: syncd.AttentionGivenUp, c[1].ID: syncd.AttentionDead}
	if err != nil || fmt.Sprint(kinds) != fmt.Sprint(want) {
		t.Fatalf("attention rows by operation: %v, %v; want %v", kinds, err, want)
	}
}

// testReportLeadGivenUp: a lead whose operations were given up by hand
// (its contact, the deal going with it; or its deal alone) stands as
// given up on the report's Leads sheet, not as dead: the Leads sheet said
// "Not sent: dead" of it, the hand's choice only in its reason. A lead
// the CRM refused stays dead.
func testReportLeadGivenUp(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	from := e.now()
	givenUp := e.mapped(in, 1)
	refused := e.mapped(in, 2)
	dealGivenUp := e.mapped(in, 3)
	c := e.claim(e.Store, syncd.RecordContact, 3)
	if len(c) != 3 {
		t.Fatalf("claimed %d contacts, want 3", len(c))
	}
	var contact int64
	for i := range c {
		switch c[i].EventID {
		case givenUp:
			c[i].State, c[i].Attempts, c[i].LastError, contact = syncd.OpPending, 1, "504 Gateway Timeout", c[i].ID
		case refused:
			c[i].State, c[i].Attempts, c[i].LastError = syncd.OpDead, 1, "400 INVALID_EMAIL"
		default:
			c[i].State, c[i].CRMID = syncd.OpDone, "c-3"
		}
	}
	if err := e.Store.FinishOps(e.ctx, c); err != nil {
		t.Fatal(err)
	}
	e.advance(time.Second)
	if _, err := e.Store.GiveUpOp(e.ctx, contact, "hubspot", "given up by hand"); err != nil {
		t.Fatal(err)
	}
	deals, err := e.Store.ListOps(e.ctx, syncd.OpFilter{Kind: syncd.RecordDeal, State: syncd.OpPending, Limit: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range deals {
		if d.EventID == dealGivenUp {
			if _, err := e.Store.GiveUpOp(e.ctx, d.ID, "hubspot", "given up by hand"); err != nil {
				t.Fatal(err)
			}
		}
	}
	var got []string
	err = e.Store.EachLead(e.ctx, from, e.now().Add(time.Second), "hubspot", func(r *syncd.LeadRow) error {
		got = append(got, fmt.Sprintf("%d %s", r.EventID, r.Status))
		return nil
	})
	want := []string{fmt.Sprintf("%d given up", givenUp), fmt.Sprintf("%d dead", refused), fmt.Sprintf("%d given up", dealGivenUp)}
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("leads = %q, %v; want %q", got, err, want)
	}
}
