package storetest

import (
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
