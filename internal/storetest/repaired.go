package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testRepairedBodyRetried: a body quarantined, repaired by the operator,
// then delivered again as it was first sent (senders retry) is a duplicate
// of the event the repair made, counted on that event, not one more
// quarantined delivery that asks for another repair.
func testRepairedBodyRetried(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	bad := syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "sha-bad", Body: []byte("{bad"),
		Quarantine: true, Reason: "invalid JSON"}
	q, err := in.Store(e.ctx, bad)
	if err != nil || q.Outcome != syncd.Quarantined {
		t.Fatalf("quarantine = %+v, %v", q, err)
	}
	e.advance(time.Hour)
	fixed := incoming("fixed")
	fixed.Source, fixed.Kind = "", ""
	ev, err := e.Store.RepairQuarantined(e.ctx, q.ID, fixed, window)
	if err != nil {
		t.Fatalf("repair: %v", err)
	}
	e.advance(30 * time.Minute)
	again, err := in.Store(e.ctx, bad)
	if err != nil || again.Outcome != syncd.Duplicate || again.ID != ev.ID {
		t.Fatalf("the quarantined body again after its repair = %+v, %v; want a duplicate of event %d", again, err, ev.ID)
	}
	got, _ := e.Store.Event(e.ctx, ev.ID)
	if got.Deliveries != 2 || !got.LastDeliveryAt.Equal(e.now()) {
		t.Fatalf("repaired event after the retry = %+v; want 2 deliveries, the last now", got)
	}
	one, _ := e.Store.QuarantinedBody(e.ctx, q.ID)
	if one.Deliveries != 1 || one.ResolvedEvent != ev.ID {
		t.Fatalf("quarantined body after the retry = %+v; want its one delivery, resolved by %d", one, ev.ID)
	}
	other := bad
	other.Body, other.Key = []byte("{worse"), "sha-worse"
	if r, err := in.Store(e.ctx, other); err != nil || r.Outcome != syncd.Quarantined || r.ID == q.ID {
		t.Fatalf("another bad body = %+v, %v; want a new quarantined body", r, err)
	}
}

// testDismissedBodyWaitsNoMore: a quarantined body waits for a person
// (EventFilter.Waiting) until it is repaired or dismissed; a dismissed one
// is kept for the record with its body dropped, dismissing it again
// changes nothing, and a repaired one is refused. The same bytes sent
// again are one more delivery of the dismissed body, which waits no more.
// QuarantineWaiting counts the waiting ones by source.
func testDismissedBodyWaitsNoMore(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	keep := func(body string) int64 {
		r, err := in.Store(e.ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "sha-" + body,
			Body: []byte(body), Quarantine: true, Reason: "invalid JSON"})
		if err != nil || r.Outcome != syncd.Quarantined {
			t.Fatalf("quarantine %q = %+v, %v", body, r, err)
		}
		return r.ID
	}
	from := e.now()
	junk, lead := keep("GET / HTTP/1.1"), keep("{lead")
	// The report's Needs attention lists the bodies that wait, and no
	// other (a report made again after the dismissal, by an erase or a
	// purge, listed the dismissed one as waiting for a person).
	listed := func(want ...int64) {
		t.Helper()
		var got []int64
		err := e.Store.EachAttention(e.ctx, from, e.now().Add(time.Second), func(r *syncd.AttentionRow) error {
			if r.Kind == syncd.AttentionQuarantined {
				got = append(got, r.ID)
			}
			return nil
		})
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("Needs attention lists quarantined bodies %v (%v); want %v", got, err, want)
		}
	}
	waiting := func(want ...int64) {
		t.Helper()
		n, err := e.Store.CountQuarantined(e.ctx, syncd.EventFilter{Waiting: true})
		qs, lerr := e.Store.Quarantined(e.ctx, syncd.EventFilter{Waiting: true, Source: "lb"})
		if err != nil || lerr != nil || n != len(want) || len(qs) != len(want) {
			t.Fatalf("waiting: %d, %+v (%v, %v); want %v", n, qs, err, lerr, want)
		}
		for i, q := range qs {
			if q.ID != want[i] || !q.Waits() {
				t.Fatalf("waiting: %+v; want %v", qs, want)
			}
		}
		// As the daemon counts them for its gauge and status line.
		by, err := e.Store.QuarantineWaiting(e.ctx)
		if err != nil || by["lb"] != len(want) || len(by) > 1 || (len(want) == 0) != (len(by) == 0) {
			t.Fatalf("QuarantineWaiting = %v, %v; want lb: %d", by, err, len(want))
		}
	}
	waiting(junk, lead)
	e.advance(time.Minute)
	before, err := e.Store.DismissQuarantined(e.ctx, junk)
	if err != nil || !before.DismissedAt.IsZero() || string(before.Body) != "GET / HTTP/1.1" {
		t.Fatalf("dismiss = %+v, %v; want the body as it was", before, err)
	}
	got, _ := e.Store.QuarantinedBody(e.ctx, junk)
	if len(got.Body) != 0 || !got.DismissedAt.Equal(e.now()) || got.ResolvedEvent != 0 || got.Waits() {
		t.Fatalf("dismissed body = %+v; want its body dropped, dismissed now", got)
	}
	waiting(lead)
	listed(lead)
	e.advance(time.Minute)
	again, err := e.Store.DismissQuarantined(e.ctx, junk)
	if err != nil || !again.DismissedAt.Equal(got.DismissedAt) {
		t.Fatalf("dismiss again = %+v, %v; want it left dismissed at %v", again, err, got.DismissedAt)
	}
	if r, err := in.Store(e.ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "sha-GET / HTTP/1.1",
		Body: []byte("GET / HTTP/1.1"), Quarantine: true, Reason: "invalid JSON"}); err != nil || r.ID != junk {
		t.Fatalf("the junk again = %+v, %v; want one more delivery of body %d", r, err, junk)
	}
	waiting(lead)
	fixed := incoming("fixed")
	fixed.Source, fixed.Kind = "", ""
	ev, err := e.Store.RepairQuarantined(e.ctx, lead, fixed, window)
	if err != nil {
		t.Fatalf("repair: %v", err)
	}
	waiting()
	if _, err := e.Store.DismissQuarantined(e.ctx, lead); syncd.ErrorCode(err) != syncd.EInvalid {
		t.Fatalf("dismiss of a body repaired as event %d: %v; want %s", ev.ID, err, syncd.EInvalid)
	}
	if _, err := e.Store.DismissQuarantined(e.ctx, lead+100); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("dismiss of no body: %v; want %s", err, syncd.ENotFound)
	}
}
