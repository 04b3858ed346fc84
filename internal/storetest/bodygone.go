package storetest

import (
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testBodyGoneSaysWhen: an event read back says when syncd erase dropped
// its body and when the retention purge did, so that `events show` can
// tell an operator which and when; an event still held says neither.
// Quarantined bodies likewise.
func testBodyGoneSaysWhen(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	old := e.personLead(in, "old", bob, false)
	oldQ := e.quarantined(in, bob)
	e.deliverAll()
	e.advance(100 * day)
	erased := e.personLead(in, "erased", jane, false)
	erasedQ := e.quarantined(in, jane)
	heldQ := e.quarantined(in, person{email: "kept@example.net"})
	held := e.event(in, "held")
	e.deliverAll()
	erasedAt := e.now()
	if _, err := e.erase(subjectOf(jane), ""); err != nil {
		t.Fatal(err)
	}
	e.advance(day)
	purgedAt := e.now()
	if p, err := e.Store.Purge(e.ctx, syncd.Retention{Events: 90 * day, Quarantine: 90 * day}); err != nil || p.Events != 1 || p.Quarantined != 1 {
		t.Fatalf("purge: %+v, %v; want the old event's body and the old quarantined one", p, err)
	}
	wantQ := map[int64][2]int64{oldQ: {0, purgedAt.Unix()}, erasedQ: {erasedAt.Unix(), 0}, heldQ: {0, 0}}
	qs, err := e.Store.Quarantined(e.ctx, syncd.EventFilter{})
	if err != nil || len(qs) != 3 {
		t.Fatalf("quarantined: %d, %v", len(qs), err)
	}
	for _, listed := range qs {
		q, err := e.Store.QuarantinedBody(e.ctx, listed.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, got := range []syncd.Quarantine{listed, q} {
			if at := [2]int64{unixOrZero(got.ErasedAt), unixOrZero(got.PurgedAt)}; at != wantQ[got.ID] {
				t.Errorf("quarantined body %d: erased at %v, purged at %v; want (unix) %v", got.ID, got.ErasedAt, got.PurgedAt, wantQ[got.ID])
			}
		}
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

// quarantined stores a body naming p that does not parse, and returns its
// quarantine id.
func (e *env) quarantined(in Intake, p person) int64 {
	e.t.Helper()
	rec, err := in.Store(e.ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "q-" + p.email,
		Body: []byte(`{"email":"` + p.email + `",`), Quarantine: true, Reason: "invalid JSON"})
	if err != nil || rec.Outcome != syncd.Quarantined {
		e.t.Fatalf("quarantine: %+v, %v", rec, err)
	}
	return rec.ID
}
