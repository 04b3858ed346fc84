package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testClaimContactRun: a contact's pending updates after the one that
// waits behind none come with it in one claim, beyond the limit (which
// counts the records), up to the first that is not due or is leased; no
// other instance takes them meanwhile, and a later update joins the run
// once the hole before it is due.
func testClaimContactRun(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	update := func(i int, name string) int64 {
		t.Helper()
		ev := e.event(in, fmt.Sprintf("update-%d-%s", i, name))
		op := lead(ev, i)[:1]
		op[0].Properties["firstname"] = name
		if n, err := e.Store.RecordMapping(e.ctx, ev, syncd.MapMapped, "", op); err != nil || n != 1 {
			t.Fatalf("update %s: %d, %v", name, n, err)
		}
		return ev
	}
	e.mapped(in, 1)
	e.mapped(in, 2)
	update(1, "Second")
	update(1, "Third")
	got := e.claim(e.Store, syncd.RecordContact, 1)
	if names := firstNames(got); names != "lead1@example.com: Second Third" {
		t.Fatalf("claimed %s; want lead 1's three ops", names)
	}
	for _, op := range got {
		if op.Attempts != 1 || !op.LeaseUntil.Equal(e.now().Add(time.Minute)) {
			t.Fatalf("op not leased as its head: %+v", op)
		}
	}
	other := e.instance()
	more := e.claim(other.Store, syncd.RecordContact, 10)
	if firstNames(more) != "lead2@example.com:" {
		t.Fatalf("another instance claimed %s; want lead 2 alone", firstNames(more))
	}
	more[0].State, more[0].CRMID = syncd.OpDone, "c-2"
	if err := other.Store.FinishOps(e.ctx, more); err != nil {
		t.Fatal(err)
	}
	// The first two done, the third rescheduled in an hour: a fourth
	// update waits behind it, and goes with it then.
	got[0].State, got[0].CRMID = syncd.OpDone, "c-1"
	got[1].State, got[1].CRMID = syncd.OpDone, "c-1"
	got[2].LastError, got[2].NextAttemptAt = "crm 500", e.now().Add(time.Hour)
	if err := e.Store.FinishOps(e.ctx, got); err != nil {
		t.Fatal(err)
	}
	update(1, "Fourth")
	if early := e.claim(e.Store, syncd.RecordContact, 10); len(early) != 0 {
		t.Fatalf("claimed %s before the third's next attempt", firstNames(early))
	}
	e.advance(time.Hour)
	again := e.claim(e.Store, syncd.RecordContact, 10)
	if names := firstNames(again); names != "lead1@example.com: Third Fourth" || again[0].Attempts != 2 || again[1].Attempts != 1 {
		t.Fatalf("after the hour claimed %s (%+v)", names, again)
	}
}

// firstNames is the key of ops (one record's, in order) and each one's
// firstname, for a test's message.
func firstNames(ops []syncd.Op) string {
	if len(ops) == 0 {
		return "none"
	}
	s := ops[0].Key + ":"
	for i, op := range ops {
		if op.Key != ops[0].Key {
			return fmt.Sprintf("%s and op %d of %s", s, i, op.Key)
		}
		if n := op.Properties["firstname"]; n != "" {
			s += " " + n
		}
	}
	return s
}
