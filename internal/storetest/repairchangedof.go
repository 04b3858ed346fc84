package storetest

import (
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testRepairCountsWhatWasNotCounted: whether a repaired body's delivery
// was counted on its event when it came is what the intake recorded when
// it kept the body (Quarantine.ChangedOf), not whether the repair gives
// the quarantined bytes again. A body quarantined because it did not read
// (here: as an older syncd kept one this syncd reads, a UTF-16 lead, say)
// was counted by the quarantine alone: repaired as it is, it joins the
// event the sender's later delivery made and counts its delivery there
// (it was taken for a changed delivery and counted nowhere). A changed
// delivery was counted on its event when it came: repaired from a
// corrected copy, it counts no delivery more (it counted a third).
func testRepairCountsWhatWasNotCounted(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	lead := `{"eaf_type":"email_lead","eaf_id":"811","contact_phone":"+44 20 1234 5678"}`
	kept := syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Key: "sha-811", Body: []byte(lead),
		Quarantine: true, Reason: "not_utf8"}
	q, err := in.Store(e.ctx, kept)
	if err != nil || q.Outcome != syncd.Quarantined {
		t.Fatalf("body kept = %+v, %v", q, err)
	}
	if got, err := e.Store.QuarantinedBody(e.ctx, q.ID); err != nil || got.ChangedOf != 0 {
		t.Fatalf("body that did not read = %+v, %v; want ChangedOf 0 (no changed delivery)", got, err)
	}
	e.advance(30 * time.Minute)
	rec, err := in.Store(e.ctx, eafIncoming("811", lead))
	if err != nil || rec.Outcome != syncd.Accepted {
		t.Fatalf("the sender's delivery = %+v, %v", rec, err)
	}
	e.advance(time.Hour)
	asIs := eafIncoming("811", lead)
	asIs.Source, asIs.Kind, asIs.RemoteAddr = "", "", "repair"
	got, err := e.Store.RepairQuarantined(e.ctx, q.ID, asIs, window)
	if err != nil || got.Outcome != syncd.Duplicate || got.ID != rec.ID || got.Changed {
		t.Fatalf("body repaired as it is = %+v, %v; want a duplicate of event %d", got, err, rec.ID)
	}
	if ev, _ := e.Store.Event(e.ctx, rec.ID); ev.Deliveries != 2 {
		t.Fatalf("event %d after the repair of a body that did not read has %d deliveries; want 2 "+
			"(the sender's and the repaired one)", rec.ID, ev.Deliveries)
	}

	// A changed delivery, repaired from a corrected copy.
	first := eafIncoming("812", `{"eaf_type":"email_lead","eaf_id":"812","contact_phone":"+44 20 1234 5678"}`)
	rec, err = in.Store(e.ctx, first)
	if err != nil || rec.Outcome != syncd.Accepted {
		t.Fatalf("first 812 = %+v, %v", rec, err)
	}
	e.advance(time.Minute)
	changed, err := in.Store(e.ctx, eafIncoming("812", `{"eaf_type":"email_lead","eaf_id":"812","contact_phone":"+44 20 1234 999"}`))
	if err != nil || !changed.Changed || changed.Kept == 0 {
		t.Fatalf("changed 812 = %+v, %v; want a changed duplicate kept", changed, err)
	}
	if got, err := e.Store.QuarantinedBody(e.ctx, changed.Kept); err != nil || got.ChangedOf != rec.ID {
		t.Fatalf("changed delivery kept = %+v, %v; want ChangedOf %d", got, err, rec.ID)
	}
	e.advance(time.Hour)
	copied := eafIncoming("812", `{"eaf_type":"email_lead","eaf_id":"812","contact_phone":"+44 20 1234 9999"}`)
	copied.Source, copied.Kind, copied.RemoteAddr = "", "", "repair"
	got, err = e.Store.RepairQuarantined(e.ctx, changed.Kept, copied, window)
	if err != nil || got.Outcome != syncd.Duplicate || got.ID != rec.ID || !got.Changed {
		t.Fatalf("changed delivery repaired from a copy = %+v, %v; want a changed duplicate of event %d", got, err, rec.ID)
	}
	if ev, _ := e.Store.Event(e.ctx, rec.ID); ev.Deliveries != 2 || string(ev.Body) != string(first.Body) {
		t.Fatalf("event %d after its changed delivery was repaired from a copy: %d deliveries, body %s; want 2, "+
			"its first body", rec.ID, ev.Deliveries, ev.Body)
	}
}
