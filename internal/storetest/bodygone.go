package storetest

import (
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testBodyGoneSaysWhen: an event read back says when syncd erase dropped
// its body and when the retention purge did, so that `events show` can
// tell an operator which and when; an event still held says neither.
func testBodyGoneSaysWhen(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	old := e.personLead(in, "old", bob, false)
	e.deliverAll()
	e.advance(100 * day)
	erased := e.personLead(in, "erased", jane, false)
	held := e.event(in, "held")
	e.deliverAll()
	erasedAt := e.now()
	if _, err := e.Store.Erase(e.ctx, subjectOf(jane), ""); err != nil {
		t.Fatal(err)
	}
	e.advance(day)
	purgedAt := e.now()
	if p, err := e.Store.Purge(e.ctx, syncd.Retention{Events: 90 * day}); err != nil || p.Events != 1 {
		t.Fatalf("purge: %+v, %v; want the old event's body", p, err)
	}
	want := map[int64][2]int64{old: {0, purgedAt.Unix()}, erased: {erasedAt.Unix(), 0}, held: {0, 0}}
	evs, err := e.Store.Events(e.ctx, syncd.EventFilter{})
	if err != nil || len(evs) != 3 {
		t.Fatalf("events: %d, %v", len(evs), err)
	}
	for _, listed := range evs {
		ev, err := e.Store.Event(e.ctx, listed.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, got := range []syncd.Event{listed, ev} {
			if at := [2]int64{unixOrZero(got.ErasedAt), unixOrZero(got.PurgedAt)}; at != want[got.ID] {
				t.Errorf("event %d: erased at %v, purged at %v; want (unix) %v", got.ID, got.ErasedAt, got.PurgedAt, want[got.ID])
			}
		}
	}
}

// unixOrZero is t in Unix seconds, 0 for the zero time.
func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}
