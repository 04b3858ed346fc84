package main_test

import (
	"bytes"
	"os"
	"testing"
)

// TestEveryDeliveryKeptIsAnswered200: Estate Agent Feeds counts a
// delivery as made only when it is answered 200, 301 or 302 (any other
// 2xx is a failure to it, retried twice and then cancelled), and
// Lokalebasen any 2xx. The real daemon answers every delivery it keeps
// exactly 200, whatever became of it: a new lead, its retry, a retry with
// another body (kept in the quarantine for a person), a body that is not
// JSON (quarantined), one of another sender's shape (stored,
// unrecognised), an event type neither sender documents (a test event),
// and Lokalebasen's printed example with its trailing commas.
func TestEveryDeliveryKeptIsAnswered200(t *testing.T) {
	t.Parallel()
	d := start(t, writeConfig(t, t.TempDir()))
	lead, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	enquiry, err := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	if err != nil {
		t.Fatal(err)
	}
	eaf, lb := d.url+"/hooks/eaf/"+e2eEAFToken, d.url+"/hooks/lokalebasen/"+e2eLBToken
	for _, c := range []struct {
		what, url string
		body      []byte
		status    string
	}{
		{"a new lead", eaf, lead, "accepted"},
		{"its retry", eaf, lead, "duplicate"},
		{"its retry with another message", eaf, bytes.Replace(lead, []byte("This is an enquiry message."), []byte("Changed."), 2), "duplicate"},
		{"a body that is not JSON", eaf, []byte(`{"eaf_type": "email_lead", "eaf_id": "1" <oops>`), "quarantined"},
		{"a Lokalebasen body sent to Estate Agent Feeds' source", eaf, enquiry, "accepted"},
		{"an event type neither documents", lb, []byte(`{"event_type":"test","payload":{}}`), "accepted"},
		{"Lokalebasen's printed example", lb, enquiry, "accepted"},
		{"its retry", lb, enquiry, "duplicate"},
	} {
		a, err := post(c.url, c.body)
		if err != nil || a.Code != 200 || a.Status != c.status {
			t.Errorf("%s: %d %q %v; want exactly 200, %s", c.what, a.Code, a.Status, err, c.status)
		}
	}
}
