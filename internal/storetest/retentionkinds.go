package storetest

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testPurgeKeepsEachKindItsOwnDays: each kind of data is kept for its own
// retention (Retention.Intents, Links, Outbox, Quarantine, Events), counted
// as its own in the purge, and nothing of another kind goes with it.
func testPurgeKeepsEachKindItsOwnDays(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, 120*day)
	start := e.now()
	received := time.Unix(start.Unix()/900*900, 0).UTC()
	ev := e.mapped(in, 1)
	e.delivered(1)
	if _, err := in.Store(e.ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "q1", Body: []byte("{jane"),
		Quarantine: true, Reason: "invalid JSON"}); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.SetIntent(e.ctx, "pipedrive", syncd.RecordContact, "lead1@example.com", e.now()); err != nil {
		t.Fatal(err)
	}
	r := syncd.Retention{Intents: 10 * day, Links: 20 * day, Outbox: 30 * day, Quarantine: 40 * day, Events: 50 * day}
	listed := []time.Time{received}
	for _, step := range []struct {
		at   time.Duration
		want syncd.Purge
	}{
		{5 * day, syncd.Purge{}},
		{11 * day, syncd.Purge{Intents: 1}},
		{21 * day, syncd.Purge{Links: 2}},
		{31 * day, syncd.Purge{Ops: 2, Received: listed}}, // the contact's lead was on that day's Leads sheet
		{41 * day, syncd.Purge{Quarantined: 1, Received: listed}},
		{51 * day, syncd.Purge{Events: 1, Received: listed}},
		{61 * day, syncd.Purge{}},
	} {
		e.advance(start.Add(step.at).Sub(e.now()))
		if p, err := e.Store.Purge(e.ctx, r); err != nil || !reflect.DeepEqual(p, step.want) {
			t.Fatalf("purge after %v: %+v, %v; want %+v", step.at, p, err, step.want)
		}
	}
	if e.held(ev) {
		t.Error("event kept with its body past its retention")
	}
}

// testEraseQueuesOnAnEventOfItsOwn: the CRM erasure that erase queues
// belongs to an event of its own holding nothing of the person: source
// syncd, kind erasure, already erased and never mapped, keyed by the
// erasure (the audit's hash, whose first 16 hex digits it carries, and its
// time), so that a second erasure gets another.
func testEraseQueuesOnAnEventOfItsOwn(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.personLead(in, "a", jane, false)
	e.personLead(in, "b", bob, false)
	e.deliverAll()
	var erasures []syncd.Erasure
	for _, p := range []person{jane, bob} {
		er, err := e.erase(subjectOf(p), "hubspot")
		if err != nil || er.CRMOps != 1 {
			t.Fatalf("erase %s: %+v, %v; want the CRM erasure queued", p.email, er, err)
		}
		erasures = append(erasures, er)
		e.advance(time.Minute)
	}
	evs, err := e.Store.Events(e.ctx, syncd.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ops, err := e.Store.ListOps(e.ctx, syncd.OpFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, er := range erasures {
		var own []syncd.Event
		for _, ev := range evs {
			if strings.HasPrefix(ev.Key, "erasure:"+er.SubjectHash[:16]+":") {
				own = append(own, ev)
			}
		}
		if len(own) != 1 {
			t.Fatalf("events keyed by the erasure %s: %+v; want one", er.SubjectHash[:16], own)
		}
		ev := own[0]
		if ev.Source != "syncd" || ev.Kind != syncd.KindErasure || ev.Type != "erase" || len(ev.Body) != 0 || len(ev.Payload) != 0 ||
			ev.MapState != syncd.MapIgnored || ev.ErasedAt.IsZero() || ev.ReceivedAt.IsZero() {
			t.Errorf("the erasure's event: %+v; want syncd's erasure, empty, erased and never mapped", ev)
		}
		n := 0
		for _, op := range ops {
			if op.EventID == ev.ID {
				n++
				if op.Kind != syncd.RecordErase || op.Target != "hubspot" || op.State != syncd.OpPending {
					t.Errorf("operation of the erasure's event: %+v; want a pending CRM erasure", op)
				}
			}
		}
		if n != er.CRMOps {
			t.Errorf("%d operations of the erasure's event, want %d", n, er.CRMOps)
		}
	}
}
