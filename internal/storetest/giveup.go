package storetest

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testGiveUpOp: a pending operation no syncer holds is given up (dead, the
// reason before its last error) and retried back; one held by a syncer,
// one done, one dead, one of another CRM and one that is not there are
// refused with ENotFound and left as they were. A contact given up lets
// its deal be claimed (the syncer dead-letters it for want of its contact).
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
	if err := e.Store.GiveUpOp(e.ctx, c[0].ID, "pipedrive", reason); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("give up another CRM's op: %v; want ENotFound", err)
	}
	if err := e.Store.GiveUpOp(e.ctx, c[1].ID, "hubspot", reason); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("give up a done op: %v; want ENotFound", err)
	}
	if err := e.Store.GiveUpOp(e.ctx, c[1].ID+1000, "hubspot", reason); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("give up no op: %v; want ENotFound", err)
	}
	if err := e.Store.GiveUpOp(e.ctx, c[0].ID, "hubspot", reason); err != nil {
		t.Fatalf("give up: %v", err)
	}
	op, err := e.Store.GetOp(e.ctx, c[0].ID)
	if err != nil || op.State != syncd.OpDead || !strings.HasPrefix(op.LastError, reason) ||
		!strings.Contains(op.LastError, "504 Gateway Timeout") {
		t.Fatalf("given up: %+v, %v; want dead, %q then the last error", op, err, reason)
	}
	if err := e.Store.GiveUpOp(e.ctx, c[0].ID, "hubspot", reason); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("give up a dead op: %v; want ENotFound", err)
	}
	deals := e.claim(e.Store, syncd.RecordDeal, 2)
	if len(deals) != 2 {
		t.Fatalf("claimed %d deals once the contact was given up, want both", len(deals))
	}
	// a deal held by a syncer is refused
	if err := e.Store.GiveUpOp(e.ctx, deals[0].ID, "hubspot", reason); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("give up a held op: %v; want ENotFound", err)
	}
	if op, _ := e.Store.GetOp(e.ctx, deals[0].ID); op.State != syncd.OpPending {
		t.Fatalf("held op after a refused give-up: %+v; want pending", op)
	}
	if _, err := e.Store.RetryDeadOp(e.ctx, c[0].ID); err != nil {
		t.Fatalf("retry the given-up op: %v", err)
	}
	if op, _ := e.Store.GetOp(e.ctx, c[0].ID); op.State != syncd.OpPending || op.Attempts != 0 {
		t.Fatalf("retried: %+v; want pending, no attempts", op)
	}
}
