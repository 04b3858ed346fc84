package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// The duplicate window's keys are swept by the purge (PostgreSQL) or by
// the intake as it runs (SQLite): either way a retried delivery is a
// duplicate exactly while its first delivery is within the window, and an
// event whose key is gone is still read, exported and erased.

// testPurgeKeys: a purge within the window leaves a retry a duplicate;
// past it the same key makes a new event, while the old event, whose key
// was swept, is still read and erased like any other.
func testPurgeKeys(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	old := e.personLead(in, "a", jane, false)
	e.deliverAll()
	r := syncd.Retention{Keys: window}
	e.advance(window - time.Minute)
	if p, err := e.Store.Purge(e.ctx, r); err != nil || !reflect.DeepEqual(p, syncd.Purge{}) {
		t.Fatalf("purge within the window: %+v, %v; want nothing", p, err)
	}
	if dup, err := in.Store(e.ctx, incoming("a")); err != nil || dup.Outcome != syncd.Duplicate || dup.ID != old {
		t.Fatalf("a retry within the window after a purge: %+v, %v; want a duplicate of %d", dup, err, old)
	}
	e.advance(2 * time.Minute)
	if _, err := e.Store.Purge(e.ctx, r); err != nil {
		t.Fatal(err)
	}
	rec, err := in.Store(e.ctx, incoming("a"))
	if err != nil || rec.Outcome != syncd.Accepted || rec.ID == old {
		t.Fatalf("a delivery past the window after a purge: %+v, %v; want a new event", rec, err)
	}
	if dup, err := in.Store(e.ctx, incoming("a")); err != nil || dup.Outcome != syncd.Duplicate || dup.ID != rec.ID {
		t.Fatalf("its retry: %+v, %v; want a duplicate of %d", dup, err, rec.ID)
	}
	if ev, err := e.Store.Event(e.ctx, old); err != nil || ev.Key != "a" || ev.Deliveries != 2 || len(ev.Body) == 0 {
		t.Fatalf("the old event after its key's sweep: %+v, %v", ev, err)
	}
	if pd, err := e.Store.PersonData(e.ctx, subjectOf(jane)); err != nil || len(pd.Events) != 1 || pd.Events[0].ID != old {
		t.Fatalf("her data: %+v, %v; want the old event", pd, err)
	}
	if er, err := e.erase(subjectOf(jane), ""); err != nil || er.Events != 1 {
		t.Fatalf("erase of the old event: %+v, %v", er, err)
	}
	if dup, err := in.Store(e.ctx, incoming("a")); err != nil || dup.Outcome != syncd.Duplicate || dup.ID != rec.ID {
		t.Fatalf("a retry after the erase: %+v, %v; want a duplicate of %d", dup, err, rec.ID)
	}
}

// testLongerWindow: keys swept under a one-hour window still make
// duplicates once the intake restarts with a 14-day one.
func testLongerWindow(t *testing.T, e *env) {
	in, stop := e.startIntake(e.Handle, time.Hour)
	first := e.event(in, "k1")
	e.advance(2 * time.Hour)
	if _, err := e.Store.Purge(e.ctx, syncd.Retention{Keys: time.Hour}); err != nil {
		t.Fatal(err)
	}
	stop()
	in = e.runIntake(e.instance(), window)
	if dup, err := in.Store(e.ctx, incoming("k1")); err != nil || dup.Outcome != syncd.Duplicate || dup.ID != first {
		t.Fatalf("within the longer window: %+v, %v; want a duplicate of %d", dup, err, first)
	}
}
