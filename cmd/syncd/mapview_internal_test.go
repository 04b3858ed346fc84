package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

func explained(t *testing.T, target string, kind syncd.Kind, body []byte) string {
	t.Helper()
	rules, err := mapping.Load(filepath.Join("..", "..", "mappings", target), target)
	if err != nil {
		t.Fatal(err)
	}
	e, err := mapping.ExplainBody(rules, kind, "lb", "", body)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := writeExplanation(&b, e); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestWriteExplanation(t *testing.T) {
	t.Parallel()
	body, _ := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	out := explained(t, "hubspot", syncd.KindLokalebasen, body)
	for _, want := range []string{"state: mapped", "rule: lokalebasen-enquiry", "contact angela7913@hotmail.com [hubspot/lokalebasen.yaml",
		"  phone: +4552250559", "deal lb:sha256:", "(contact angela7913@hotmail.com)", "  dealname: Lokalebasen EJ-593915GV: Angela Baker"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestWriteExplanationShowsUpdate: syncd map marks create-only and added
// properties and says what an update would write.
func TestWriteExplanationShowsUpdate(t *testing.T) {
	t.Parallel()
	body := []byte(`{"event_type":"enquiry_created","payload":{"client":{"email":"a@example.com","name":"Ann Lee","phone":"+4512345678"},"location":{"id":"7"},"enquiry":{"type":"client"}}}`)
	out := explained(t, "pipedrive", syncd.KindLokalebasen, body)
	for _, want := range []string{
		"name: Ann Lee  (on create only)",
		"email: a@example.com  (added to the list)",
		"an update of an existing contact writes only: email (added), phone (added)",
		"stage: Contact Made  (on create only)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

func TestWriteChangeIsInTheReportZone(t *testing.T) {
	t.Parallel()
	ev := syncd.Event{ID: 7, Source: "eaf", Type: "email_lead", MapState: syncd.MapUnmappable,
		ReceivedAt: time.Date(2026, 11, 29, 22, 30, 0, 0, time.UTC)}
	ch := mapping.ReplayChange{Event: ev, Result: mapping.Result{State: syncd.MapMapped},
		Fresh: []syncd.Op{{Kind: syncd.RecordContact, Key: "a@example.com", Properties: map[string]string{"email": "a@example.com"}}}}
	var b strings.Builder
	if err := writeChange(&b, cph, nil, ch); err != nil {
		t.Fatal(err)
	}
	want := "event 7 (eaf email_lead, 2026-11-29 23:30:00 +01:00): unmappable -> mapped\n+ contact a@example.com [, ]\n  email: a@example.com\n"
	if b.String() != want {
		t.Errorf("got %q\nwant %q", b.String(), want)
	}
}

// TestWriteExplanationShowsTextAsTheCRMGetsIt: a message over several
// lines is shown quoted, and its "&", "<" and ">" as they are: syncd map
// showed a client's "Hej & tak" as "Hej \u0026 tak" and "<3" as
// "\u003c3", which an operator took for what the CRM would get.
func TestWriteExplanationShowsTextAsTheCRMGetsIt(t *testing.T) {
	t.Parallel()
	body := []byte(`{"event_type":"enquiry_created","payload":{"client":{"email":"a@example.com","name":"Ann Lee"},"location":{"id":"7"},` +
		`"enquiry":{"type":"client"},"comment":"Hej &amp; tak<br>for sidst &lt;3 > 2\r\nAnn"}}`)
	out := explained(t, "hubspot", syncd.KindLokalebasen, body)
	if want := `  description: "Hej & tak\nfor sidst <3 > 2 Ann"`; !strings.Contains(out, want) {
		t.Errorf("missing %q in:\n%s", want, out)
	}
}
