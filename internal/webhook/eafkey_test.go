package webhook_test

import (
	"bytes"
	"context"
	"strconv"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// event reads back the event an answer names.
func (r *rig) event(t *testing.T, a answer) (key string, deliveries int) {
	t.Helper()
	id, err := strconv.ParseInt(a.ID, 10, 64)
	if err != nil {
		t.Fatalf("answer %+v names no event", a)
	}
	ev, err := r.db.Event(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return ev.Key, ev.Deliveries
}

// TestEAFIDSentAsANumberIsTheDuplicateKey: Estate Agent Feeds documents
// eaf_id as a string; a body that gives it as a JSON number (an encoder
// that took the digits for one) is the same delivery id. It used to be
// ignored, the key the body's hash, so the retry of a lead whose body
// changed, or that gave the id as a string, was stored as a second lead.
func TestEAFIDSentAsANumberIsTheDuplicateKey(t *testing.T) {
	t.Parallel()
	obs := &outcomes{n: map[string]int{}}
	r := newRig(t, func(o *webhook.Options) { o.Observer = obs })
	asString := fixture(t, "eaf/email_lead.json")
	asNumber := bytes.Replace(asString, []byte(`"eaf_id": "77722226661727188822717"`), []byte(`"eaf_id": 77722226661727188822717`), 1)
	if bytes.Equal(asNumber, asString) {
		t.Fatal("fixture has no eaf_id to turn into a number")
	}
	a := r.post(t, "/hooks/eaf/"+eafToken, asNumber)
	if a.Status != "accepted" {
		t.Fatalf("first: %+v", a)
	}
	if key, _ := r.event(t, a); key != "eaf:77722226661727188822717" {
		t.Fatalf("key %q; want eaf:77722226661727188822717", key)
	}
	corrected := bytes.Replace(asNumber, []byte("+44(0)20 3870 4550"), []byte("+44(0)20 3870 4551"), 1)
	for _, body := range [][]byte{corrected, asString} {
		if d := r.post(t, "/hooks/eaf/"+eafToken, body); d.Status != "duplicate" || d.ID != a.ID {
			t.Fatalf("retry: %+v; want a duplicate of event %s", d, a.ID)
		}
	}
	if _, n := r.event(t, a); n != 3 {
		t.Fatalf("%d deliveries; want 3", n)
	}
	// The corrected phone says something else; the id as a string does not
	// (it was a "delivery changed" warning, and a body kept for a person).
	if obs.n["eaf changed"] != 1 || obs.n["eaf duplicate"] != 1 {
		t.Fatalf("observed %v; want the corrected body changed, the id as a string a plain duplicate", obs.n)
	}
	if qs, err := r.db.Quarantined(context.Background(), syncd.EventFilter{}); err != nil || len(qs) != 1 {
		t.Fatalf("quarantine %+v, %v; want only the corrected body kept", qs, err)
	}
}

// TestEAFIDSharedByALeadAndASubmissionKeepsBoth: Estate Agent Feeds calls
// eaf_id "our unique ID for this submission" for each event type, and
// nowhere says that a portal_submission's and an email_lead's never meet.
// One that shares a stored submission's id used to be answered duplicate
// and lost. Each type now has its own ids; an email_lead's key is as it was
// ("eaf:<eaf_id>": its lead id, the CRM deal's identity, is unchanged), and
// its retry is still a duplicate.
func TestEAFIDSharedByALeadAndASubmissionKeepsBoth(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	sub := fixture(t, "eaf/portal_submission_success.json")
	lead := bytes.Replace(fixture(t, "eaf/email_lead.json"), []byte("77722226661727188822717"), []byte("99426189915163065768167003"), 1)
	imp := bytes.Replace(fixture(t, "eaf/feed_import.json"), []byte("55332867012531630906086"), []byte("99426189915163065768167003"), 1)
	s := r.post(t, "/hooks/eaf/"+eafToken, sub)
	l := r.post(t, "/hooks/eaf/"+eafToken, lead)
	i := r.post(t, "/hooks/eaf/"+eafToken, imp)
	if s.Status != "accepted" || l.Status != "accepted" || i.Status != "accepted" {
		t.Fatalf("submission %+v, lead %+v, import %+v; want each accepted", s, l, i)
	}
	if s.ID == l.ID || l.ID == i.ID || s.ID == i.ID {
		t.Fatalf("events %s, %s, %s; want three", s.ID, l.ID, i.ID)
	}
	if key, _ := r.event(t, l); key != "eaf:99426189915163065768167003" {
		t.Fatalf("the lead's key %q; want eaf:99426189915163065768167003", key)
	}
	for _, c := range []struct {
		body []byte
		a    answer
	}{{sub, s}, {lead, l}, {imp, i}} {
		if d := r.post(t, "/hooks/eaf/"+eafToken, c.body); d.Status != "duplicate" || d.ID != c.a.ID {
			t.Fatalf("retry: %+v; want a duplicate of event %s", d, c.a.ID)
		}
	}
}
