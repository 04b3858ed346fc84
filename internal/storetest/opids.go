package storetest

import (
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testOpIDsNotGivenAgain: an operation id names one operation for good,
// as the log, alerts and workbooks name it for `syncd outbox show`,
// `retry` and `give-up`. Once the newest operations were deleted (an
// erasure, the retention purge, outbox drop), SQLite gave the next ones
// their ids (the highest held + 1): an erased person's operations 3 and 4
// came back as another lead's, and a `retry 3` read from the log before
// the erasure revived that one. PostgreSQL's sequences never did.
func testOpIDsNotGivenAgain(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.mapped(in, 1)
	top := func() int64 {
		t.Helper()
		ops, err := e.Store.ListOps(e.ctx, syncd.OpFilter{Limit: -1})
		if err != nil {
			t.Fatal(err)
		}
		var top int64
		for _, op := range ops {
			top = max(top, op.ID)
		}
		return top
	}
	given := func(ev int64) int64 {
		t.Helper()
		ops := e.opsOf(ev) // in id order
		if len(ops) == 0 {
			t.Fatalf("event %d enqueued no operation", ev)
		}
		return ops[0].ID
	}

	e.mapped(in, 2) // the newest operations: erased
	before := top()
	if _, err := e.erase(subjectOf(person{email: "lead2@example.com"}), ""); err != nil {
		t.Fatal(err)
	}
	if first := given(e.mapped(in, 3)); first <= before {
		t.Errorf("after an erasure of operations up to %d, the next lead's operations got %d on", before, first)
	}

	e.mapped(in, 4) // pending, dropped with their CRM
	before = top()
	if _, err := e.Store.DropUnsentOps(e.ctx, "hubspot", false); err != nil {
		t.Fatal(err)
	}
	if first := given(e.mapped(in, 5)); first <= before {
		t.Errorf("after outbox drop of operations up to %d, the next lead's operations got %d on", before, first)
	}

	ops := e.claim(e.Store, syncd.RecordContact, 10)
	for i := range ops {
		ops[i].State, ops[i].CRMID = syncd.OpDone, "c"
	}
	if err := e.Store.FinishOps(e.ctx, ops); err != nil {
		t.Fatal(err)
	}
	deals := e.claim(e.Store, syncd.RecordDeal, 10)
	for i := range deals {
		deals[i].State, deals[i].CRMID = syncd.OpDone, "d"
	}
	if err := e.Store.FinishOps(e.ctx, deals); err != nil {
		t.Fatal(err)
	}
	before = top()
	e.advance(31 * 24 * time.Hour)
	if p, err := e.Store.Purge(e.ctx, syncd.Retention{Outbox: 30 * 24 * time.Hour}); err != nil || p.Ops == 0 {
		t.Fatalf("purge: %+v, %v; want the finished operations dropped", p, err)
	}
	if n := top(); n != 0 {
		t.Fatalf("operation %d left by the purge", n)
	}
	if first := given(e.mapped(in, 6)); first <= before {
		t.Errorf("after the purge of operations up to %d, the next lead's operations got %d on", before, first)
	}
}
