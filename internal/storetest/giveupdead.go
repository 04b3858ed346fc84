package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testGiveUpDeadLetter: a dead letter the operator dealt with by hand in
// the CRM (a contact the CRM refused, entered there by hand; a CRM
// erasure of a merged contact, done there by hand) is given up as a
// pending one is: dead, given up by hand, its refusal kept after the
// reason, counted apart from the dead letters that need attention and
// listed as given up on the report's Needs attention sheet. A contact
// takes with it the deals that died for want of it (else they alarm on).
// One given up already is refused with ENotFound and left as it was, and
// a retry brings the contact back with its deals. Before, every dead
// letter was refused: nothing cleared one but the retention purge.
func testGiveUpDeadLetter(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	from := e.now()
	refused := e.mapped(in, 1)
	e.mapped(in, 2)
	c := e.claim(e.Store, syncd.RecordContact, 2)
	if len(c) != 2 {
		t.Fatalf("claimed %d contacts, want 2", len(c))
	}
	var contact int64
	for i := range c {
		if c[i].EventID == refused {
			c[i].State, c[i].Attempts, c[i].LastError, contact = syncd.OpDead, 1, "400 INVALID_EMAIL", c[i].ID
		} else {
			c[i].State, c[i].CRMID = syncd.OpDone, "c-2"
		}
	}
	if err := e.Store.FinishOps(e.ctx, c); err != nil {
		t.Fatal(err)
	}
	d := e.claim(e.Store, syncd.RecordDeal, 2)
	if len(d) != 2 {
		t.Fatalf("claimed %d deals, want 2", len(d))
	}
	var deal int64
	for i := range d {
		if d[i].EventID == refused { // as the syncer dead-letters a deal whose contact died
			d[i].State, d[i].DeadCause, d[i].LastError, deal = syncd.OpDead, syncd.DeadNoContact, "contact not in CRM", d[i].ID
		} else {
			d[i].State, d[i].CRMID = syncd.OpDone, "d-2"
		}
	}
	if err := e.Store.FinishOps(e.ctx, d); err != nil {
		t.Fatal(err)
	}
	e.personLead(in, "jane", jane, false)
	e.deliverAll()
	if _, err := e.erase(subjectOf(jane), "hubspot"); err != nil {
		t.Fatal(err)
	}
	erasure := e.claim(e.Store, syncd.RecordErase, 10)
	if len(erasure) != 1 {
		t.Fatalf("CRM erase operations: %+v; want the erasure of her contact", erasure)
	}
	erasure[0].State, erasure[0].LastError = syncd.OpDead, "MERGED_CONTACT: contact 7 is a merge of several contacts"
	if err := e.Store.FinishOps(e.ctx, erasure); err != nil {
		t.Fatal(err)
	}
	e.advance(time.Second)

	const reason = "given up by hand"
	if _, err := e.Store.GiveUpOp(e.ctx, contact, "pipedrive", reason); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("give up another CRM's dead letter: %v; want ENotFound", err)
	}
	if with, err := e.Store.GiveUpOp(e.ctx, contact, "hubspot", reason); err != nil || !slices.Equal(with, []int64{deal}) {
		t.Fatalf("give up the dead contact: %v, %v; want its deal %d, dead for want of it, with it", with, err, deal)
	}
	if with, err := e.Store.GiveUpOp(e.ctx, erasure[0].ID, "hubspot", reason); err != nil || len(with) != 0 {
		t.Fatalf("give up the dead erasure: %v, %v", with, err)
	}
	for id, was := range map[int64]string{contact: "400 INVALID_EMAIL", deal: "contact not in CRM", erasure[0].ID: "MERGED_CONTACT"} {
		op, err := e.Store.GetOp(e.ctx, id)
		if err != nil || op.State != syncd.OpDead || op.DeadCause != syncd.DeadGivenUp || !strings.HasPrefix(op.LastError, reason) ||
			!strings.Contains(op.LastError, was) {
			t.Fatalf("operation %d given up: %+v, %v; want dead, given up, %q then %q", id, op, err, reason, was)
		}
	}
	for _, id := range []int64{contact, deal, erasure[0].ID} {
		if _, err := e.Store.GiveUpOp(e.ctx, id, "hubspot", reason); syncd.ErrorCode(err) != syncd.ENotFound {
			t.Fatalf("give up operation %d again: %v; want ENotFound", id, err)
		}
	}
	if op, _ := e.Store.GetOp(e.ctx, contact); strings.Count(op.LastError, reason) != 1 {
		t.Fatalf("given up twice, its last error: %q; want the reason once", op.LastError)
	}
	depths, err := e.Store.OutboxDepths(e.ctx)
	if err != nil || len(depths) != 1 || depths[0].Dead != 3 || depths[0].GivenUp != 3 {
		t.Fatalf("depths: %+v, %v; want 3 dead, all given up", depths, err)
	}
	kinds := map[int64]syncd.AttentionKind{}
	err = e.Store.EachAttention(e.ctx, from, e.now().Add(time.Second), func(r *syncd.AttentionRow) error {
		if r.Kind == syncd.AttentionDead || r.Kind == syncd.AttentionGivenUp { // the operations' rows
			kinds[r.ID] = r.Kind
		}
		return nil
	})
	want := map[int64]syncd.AttentionKind{contact: syncd.AttentionGivenUp, deal: syncd.AttentionGivenUp, erasure[0].ID: syncd.AttentionGivenUp}
	if err != nil || fmt.Sprint(kinds) != fmt.Sprint(want) {
		t.Fatalf("attention rows by operation: %v, %v; want %v", kinds, err, want)
	}
	if with, err := e.Store.RetryDeadOp(e.ctx, contact); err != nil || !slices.Equal(with, []int64{deal}) {
		t.Fatalf("retry the given-up contact: %v, %v; want its deal with it", with, err)
	}
	if op, _ := e.Store.GetOp(e.ctx, deal); op.State != syncd.OpPending {
		t.Fatalf("its deal after the retry: %+v; want pending", op)
	}
	// Retried, each has its refusal back as its last error, not the
	// give-up (outbox list showed a pending operation "given up by hand").
	for id, was := range map[int64]string{contact: "400 INVALID_EMAIL", deal: "contact not in CRM"} {
		if op, _ := e.Store.GetOp(e.ctx, id); op.LastError != was {
			t.Fatalf("operation %d retried after its give-up: last error %q; want %q", id, op.LastError, was)
		}
	}
}

// testRetryAllLeavesTheGivenUp: a retry of every dead letter (syncd outbox
// retry -all-dead, run once a mapping or the CRM is fixed) revives those
// that need attention and leaves those given up by hand, counted: the
// operator dealt with them (a lead entered in the CRM by hand, a merged
// contact's erasure done there), and it sent them all again, undoing
// that, each refused again and an alarm again. A retry by id still
// brings one back.
func testRetryAllLeavesTheGivenUp(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.mapped(in, 1)
	e.mapped(in, 2)
	c := e.claim(e.Store, syncd.RecordContact, 2)
	if len(c) != 2 {
		t.Fatalf("claimed %d contacts, want 2", len(c))
	}
	for i := range c {
		c[i].State, c[i].Attempts, c[i].LastError = syncd.OpDead, 1, "400 INVALID_EMAIL"
	}
	if err := e.Store.FinishOps(e.ctx, c); err != nil {
		t.Fatal(err)
	}
	given, refused := c[0].ID, c[1].ID
	with, err := e.Store.GiveUpOp(e.ctx, given, "hubspot", "given up by hand")
	if err != nil || len(with) != 1 {
		t.Fatalf("give up: %v, %v; want its pending deal with it", with, err)
	}
	revived, kept, givenUp, err := e.Store.RetryAllDeadOps(e.ctx, "hubspot")
	if err != nil || revived != 1 || kept != 0 || givenUp != 2 {
		t.Fatalf("retry all = %d revived, %d kept, %d given up left, %v; want the refused one revived, "+
			"the contact given up and its deal left", revived, kept, givenUp, err)
	}
	for id, want := range map[int64]syncd.OpState{given: syncd.OpDead, with[0]: syncd.OpDead, refused: syncd.OpPending} {
		if op, err := e.Store.GetOp(e.ctx, id); err != nil || op.State != want {
			t.Fatalf("operation %d after retry all: %+v, %v; want %s", id, op, err, want)
		}
	}
	if back, err := e.Store.RetryDeadOp(e.ctx, given); err != nil || !slices.Equal(back, with) {
		t.Fatalf("retry of the given-up contact by id: %v, %v; want its deal %v with it", back, err, with)
	}
}
