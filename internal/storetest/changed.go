package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// eafIncoming is an Estate Agent Feeds delivery of body (strict JSON) with
// the key its eaf_id gives.
func eafIncoming(id, body string) syncd.Incoming {
	return syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Type: syncd.TypeEmailLead, Key: "eaf:" + id,
		Body: []byte(body), Parse: syncd.ParseStrict, RemoteAddr: "192.0.2.3"}
}

// testDuplicateWithAnotherBody: a delivery whose key (the sender's own id)
// is a stored event's but whose body says something else (the sender
// corrected a field) is still a duplicate, as its sender asks, but the
// receipt says so (Changed); the same body again, or written another way
// (white space, escapes, the eaf_id as a number), is a plain duplicate. The later body is kept for
// a person in the quarantine (Kept), unresolved, its reason naming the
// event; the same later body again is one more delivery of it.
func testDuplicateWithAnotherBody(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	first := `{"eaf_type":"email_lead","eaf_id":"501","contact_phone":"+44 20 1234 5678"}`
	rec, err := in.Store(e.ctx, eafIncoming("501", first))
	if err != nil || rec.Outcome != syncd.Accepted || rec.Changed {
		t.Fatalf("first = %+v, %v", rec, err)
	}
	for _, c := range []struct {
		body    string
		lenient string // the standard JSON of a body that needed the lenient pass
		changed bool
	}{
		{body: first},
		{body: `{ "eaf_id": "501", "eaf_type": "email_lead", "contact_phone": "+44 20 1234 5678" }`},
		{body: `{"eaf_type":"email_lead","eaf_id":"501","contact_phone":"+44 20 1234 5678",}`,
			lenient: `{"eaf_type":"email_lead","eaf_id":"501","contact_phone":"+44 20 1234 5678"}`},
		// The id as a number is the same id (one key): nothing else said.
		{body: `{"eaf_type":"email_lead","eaf_id":501,"contact_phone":"+44 20 1234 5678"}`},
		{body: `{"eaf_type":"email_lead","eaf_id":"501","contact_phone":"+44 20 1234 9999"}`, changed: true},
		{body: `{"eaf_type":"email_lead","eaf_id":"501"}`, changed: true},
	} {
		e.advance(time.Minute)
		inc := eafIncoming("501", c.body)
		if c.lenient != "" {
			inc.Payload, inc.Parse = []byte(c.lenient), syncd.ParseLenient
		}
		got, err := in.Store(e.ctx, inc)
		if err != nil || got.Outcome != syncd.Duplicate || got.ID != rec.ID || got.Changed != c.changed {
			t.Fatalf("%s = %+v, %v; want a duplicate of %d, changed %v", c.body, got, err, rec.ID, c.changed)
		}
		if (got.Kept != 0) != c.changed {
			t.Fatalf("%s = %+v; want the later body kept only when changed", c.body, got)
		}
		if !c.changed {
			continue
		}
		q, err := e.Store.QuarantinedBody(e.ctx, got.Kept)
		if err != nil || string(q.Body) != c.body || q.ResolvedEvent != 0 || q.Deliveries != 1 ||
			!strings.Contains(q.Reason, fmt.Sprintf("event %d", rec.ID)) {
			t.Fatalf("kept %d = %+v, %v; want the later body, unresolved, its reason naming event %d", got.Kept, q, err, rec.ID)
		}
		again, err := in.Store(e.ctx, inc)
		if err != nil || again.ID != rec.ID || !again.Changed || again.Kept != got.Kept {
			t.Fatalf("the later body again = %+v, %v; want a changed duplicate kept as %d", again, err, got.Kept)
		}
		if q, _ := e.Store.QuarantinedBody(e.ctx, got.Kept); q.Deliveries != 2 {
			t.Fatalf("kept %d has %d deliveries; want 2", got.Kept, q.Deliveries)
		}
	}
	if ev, _ := e.Store.Event(e.ctx, rec.ID); ev.Deliveries != 9 || string(ev.Body) != first {
		t.Fatalf("event = %+v; want 9 deliveries and the first body kept", ev)
	}
	lb := incoming("k-lb") // a key that is the body's own hash: never changed
	e.event(in, "k-lb")
	lb.Body = []byte(`{"id":"k-lb","event_type":"enquiry_created"}`)
	if got, err := in.Store(e.ctx, lb); err != nil || got.Outcome != syncd.Duplicate || got.Changed {
		t.Fatalf("lokalebasen body written another way = %+v, %v", got, err)
	}
	// A quarantined body repaired with a copy of the same submission that
	// says something else: the event stored meanwhile, told changed.
	bad := syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Key: "sha-501", Body: []byte(`{"eaf_id":"501",`),
		Quarantine: true, Reason: "invalid JSON"}
	q, _ := in.Store(e.ctx, bad)
	fixed := eafIncoming("501", `{"eaf_type":"email_lead","eaf_id":"501","contact_phone":"+44 20 1234 0000"}`)
	fixed.Source, fixed.Kind = "", ""
	if got, err := e.Store.RepairQuarantined(e.ctx, q.ID, fixed, window); err != nil || got.Outcome != syncd.Duplicate ||
		got.ID != rec.ID || !got.Changed {
		t.Fatalf("repair with another body of a stored id = %+v, %v; want a changed duplicate of %d", got, err, rec.ID)
	}
}

// testUnmappableTakesTheLaterBody: a lead sent without a way to reach the
// person (unmappable: nothing of it reached the CRM) and sent again under
// the same id with the contact added takes the later body and is mapped
// anew (pending again), and so does an ignored event; its first body is kept in the quarantine, resolved
// as the event. The later body again is a plain duplicate. An event that
// has operations, or is of another type than the later body, keeps its
// first body (testDuplicateWithAnotherBody).
func testUnmappableTakesTheLaterBody(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	first := `{"eaf_type":"email_lead","eaf_id":"601","contact_name":"Ann"}`
	rec, err := in.Store(e.ctx, eafIncoming("601", first))
	if err != nil || rec.Outcome != syncd.Accepted {
		t.Fatalf("first = %+v, %v", rec, err)
	}
	if _, err := e.Store.RecordMapping(e.ctx, rec.ID, syncd.MapUnmappable, "no contact_email or contact_phone", nil); err != nil {
		t.Fatal(err)
	}
	e.advance(time.Minute)
	later := eafIncoming("601", `{"eaf_type":"email_lead","eaf_id":"601","contact_name":"Ann","contact_email":"ann@example.com",}`)
	later.Payload, later.Parse = []byte(`{"eaf_type":"email_lead","eaf_id":"601","contact_name":"Ann","contact_email":"ann@example.com"}`), syncd.ParseLenient
	got, err := in.Store(e.ctx, later)
	if err != nil || got.Outcome != syncd.Duplicate || got.ID != rec.ID || !got.Changed || !got.Replaced || got.Kept == 0 {
		t.Fatalf("the later body = %+v, %v; want a changed duplicate of %d that replaced its body", got, err, rec.ID)
	}
	ev, err := e.Store.Event(e.ctx, rec.ID)
	if err != nil || string(ev.Body) != string(later.Body) || string(ev.Payload) != string(later.Payload) ||
		ev.Parse != syncd.ParseLenient || ev.MapState != syncd.MapPending || ev.MapError != "" || ev.Deliveries != 2 {
		t.Fatalf("event = %+v, %v; want the later body, pending, 2 deliveries", ev, err)
	}
	if pend, _ := e.Store.PendingEvents(e.ctx, 0, 10); len(pend) != 1 || pend[0].ID != rec.ID {
		t.Fatalf("pending %+v; want event %d", pend, rec.ID)
	}
	q, err := e.Store.QuarantinedBody(e.ctx, got.Kept)
	if err != nil || string(q.Body) != first || q.ResolvedEvent != rec.ID || !strings.Contains(q.Reason, fmt.Sprintf("event %d", rec.ID)) {
		t.Fatalf("kept %d = %+v, %v; want the first body, resolved as event %d", got.Kept, q, err, rec.ID)
	}
	if again, err := in.Store(e.ctx, later); err != nil || again.ID != rec.ID || again.Changed || again.Replaced || again.Kept != 0 {
		t.Fatalf("the later body again = %+v, %v; want a plain duplicate", again, err)
	}
	// Ignored (a portal submission, which no rule sends to the CRM): the
	// same, and the report reads the later body.
	sub := syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Type: syncd.TypePortalSubmission, Key: "eaf.portal_submission:603",
		Body: []byte(`{"eaf_type":"portal_submission","eaf_id":"603","eaf_status":"error"}`), Parse: syncd.ParseStrict}
	s, err := in.Store(e.ctx, sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.RecordMapping(e.ctx, s.ID, syncd.MapIgnored, "no rule for eaf portal_submission", nil); err != nil {
		t.Fatal(err)
	}
	sub.Body = []byte(`{"eaf_type":"portal_submission","eaf_id":"603","eaf_status":"success"}`)
	if got, err := in.Store(e.ctx, sub); err != nil || got.ID != s.ID || !got.Replaced {
		t.Fatalf("an ignored event's later body = %+v, %v; want it to replace the event's", got, err)
	}
	if ev, _ := e.Store.Event(e.ctx, s.ID); string(ev.Body) != string(sub.Body) || ev.MapState != syncd.MapPending {
		t.Fatalf("ignored event = %+v; want the later body, pending", ev)
	}
	// Mapped, with operations, the event keeps its body: the later one is
	// kept for a person.
	m, err := in.Store(e.ctx, eafIncoming("602", `{"eaf_type":"email_lead","eaf_id":"602","contact_email":"b@example.com"}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.RecordMapping(e.ctx, m.ID, syncd.MapMapped, "", lead(m.ID, 602)); err != nil {
		t.Fatal(err)
	}
	got, err = in.Store(e.ctx, eafIncoming("602", `{"eaf_type":"email_lead","eaf_id":"602","contact_email":"c@example.com"}`))
	if err != nil || got.ID != m.ID || !got.Changed || got.Replaced || got.Kept == 0 {
		t.Fatalf("a mapped event's later body = %+v, %v; want it kept apart, not replacing the event's", got, err)
	}
	if ev, _ := e.Store.Event(e.ctx, m.ID); !strings.Contains(string(ev.Body), "b@example.com") || ev.MapState != syncd.MapMapped {
		t.Fatalf("mapped event = %+v; want its first body, mapped", ev)
	}
}
