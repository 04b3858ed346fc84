package storetest

import (
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testRepairChangedDelivery: a changed delivery (a retry under a stored
// event's delivery id with another body, kept in the quarantine) repaired
// as it is, with no copy, is recorded as its event's: a duplicate of that
// event, told changed, which counts no delivery more (it was counted when
// it arrived), and never a second event, however long after the
// duplicate window the operator repairs it. A corrected copy of a body
// that did not read joins the event of its delivery id stored within the
// window of the body's receipt, repaired after that window too, and counts
// its one delivery there (the quarantine counted it, not the event).
func testRepairChangedDelivery(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	for _, c := range []struct {
		id    string
		after time.Duration // from the changed delivery to its repair
	}{{"801", time.Hour}, {"802", window + 24*time.Hour}} {
		first := eafIncoming(c.id, `{"eaf_type":"email_lead","eaf_id":"`+c.id+`","contact_phone":"+44 20 1234 5678"}`)
		rec, err := in.Store(e.ctx, first)
		if err != nil || rec.Outcome != syncd.Accepted {
			t.Fatalf("first %s = %+v, %v", c.id, rec, err)
		}
		e.advance(time.Minute)
		changed := eafIncoming(c.id, `{"eaf_type":"email_lead","eaf_id":"`+c.id+`","contact_phone":"+44 20 1234 9999"}`)
		kept, err := in.Store(e.ctx, changed)
		if err != nil || !kept.Changed || kept.Kept == 0 {
			t.Fatalf("changed %s = %+v, %v; want a changed duplicate kept", c.id, kept, err)
		}
		e.advance(c.after)
		asIs := changed
		asIs.Source, asIs.Kind, asIs.RemoteAddr = "", "", "repair"
		got, err := e.Store.RepairQuarantined(e.ctx, kept.Kept, asIs, window)
		if err != nil || got.Outcome != syncd.Duplicate || got.ID != rec.ID || !got.Changed {
			t.Fatalf("changed %s repaired %v later = %+v, %v; want a changed duplicate of event %d", c.id, c.after, got, err, rec.ID)
		}
		ev, err := e.Store.Event(e.ctx, rec.ID)
		if err != nil || ev.Deliveries != 2 || string(ev.Body) != string(first.Body) {
			t.Fatalf("event %d after the repair: %d deliveries, body %s, %v; want its 2 deliveries and its first body",
				rec.ID, ev.Deliveries, ev.Body, err)
		}
		if q, err := e.Store.QuarantinedBody(e.ctx, kept.Kept); err != nil || q.ResolvedEvent != rec.ID {
			t.Fatalf("changed body %d after the repair = %+v, %v; want it resolved by event %d", kept.Kept, q, err, rec.ID)
		}
	}
	// A body that did not read, then the sender's corrected delivery, stored
	// as an event; the body repaired from a copy after the window.
	bad := syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Key: "sha-803", Body: []byte(`{"eaf_id":"803",`),
		Quarantine: true, Reason: "invalid JSON"}
	q, err := in.Store(e.ctx, bad)
	if err != nil || q.Outcome != syncd.Quarantined {
		t.Fatalf("bad body = %+v, %v", q, err)
	}
	e.advance(30 * time.Minute)
	good := eafIncoming("803", `{"eaf_type":"email_lead","eaf_id":"803","contact_phone":"+44 20 1234 5678"}`)
	rec, err := in.Store(e.ctx, good)
	if err != nil || rec.Outcome != syncd.Accepted {
		t.Fatalf("corrected delivery = %+v, %v", rec, err)
	}
	e.advance(window + 24*time.Hour)
	copied := good
	copied.Source, copied.Kind, copied.RemoteAddr = "", "", "repair"
	got, err := e.Store.RepairQuarantined(e.ctx, q.ID, copied, window)
	if err != nil || got.Outcome != syncd.Duplicate || got.ID != rec.ID || got.Changed {
		t.Fatalf("bad body repaired after the window = %+v, %v; want a duplicate of event %d", got, err, rec.ID)
	}
	if ev, _ := e.Store.Event(e.ctx, rec.ID); ev.Deliveries != 2 {
		t.Fatalf("event %d after the repair has %d deliveries; want 2 (its own and the repaired one)", rec.ID, ev.Deliveries)
	}
	if n, err := e.Store.CountEvents(e.ctx, syncd.EventFilter{Source: "eaf"}); err != nil || n != 3 {
		t.Fatalf("%d events, %v; want 3: one a delivery id", n, err)
	}
}
