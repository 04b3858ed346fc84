package main_test

import (
	"fmt"
	"syscall"
	"testing"
)

// TestQuarantineListJSONMarksChangedDeliveries: `syncd events list
// -quarantined -json` gave no field telling a changed delivery of a stored
// lead (a retry with its eaf_id and another body: a lead, to be entered in
// the CRM by hand) from a body that did not read (junk, or a lead to
// correct): a script had to parse the reason's words. changed_delivery_of
// is the event it is a changed delivery of, 0 for a body that did not read.
func TestQuarantineListJSONMarksChangedDeliveries(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, d := startListening(t, t.TempDir(), "")
	defer d.stop(t, syscall.SIGTERM)
	url := d.url + "/hooks/eaf/" + e2eEAFToken
	lead := `{"eaf_type":"email_lead","eaf_id":"880081","contact_email":"ann@example.com","contact_message_flat":%q}`
	event := postChangedDelivery(t, url, lead)
	junk := mustQuarantine(t, url, "GET / HTTP/1.1\r\nHost: scanner\r\n\r\n")
	q := syncdJSON(t, "events", "list", "-quarantined", "-json", "-config", config)
	if len(q) != 2 {
		t.Fatalf("events list -quarantined -json: %v; want the junk and the changed delivery", q)
	}
	got := map[string]any{}
	for _, b := range q {
		got[fmt.Sprint(b["id"])] = b["changed_delivery_of"]
	}
	if got[junk] != 0.0 {
		t.Errorf("the junk's changed_delivery_of = %v (%v); want 0", got[junk], q)
	}
	delete(got, junk)
	for id, of := range got {
		if fmt.Sprint(of) != event {
			t.Errorf("changed delivery %s: changed_delivery_of = %v; want event %s (%v)", id, of, event, q)
		}
	}
}
