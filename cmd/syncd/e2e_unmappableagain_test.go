package main_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestUnmappableLeadSentAgainWithItsContactReachesTheCRM: Estate Agent
// Feeds sends an email_lead without contact_email or contact_phone, which
// syncd cannot send to the CRM (unmappable), then the same eaf_id again with
// them. The second delivery used to be a duplicate that changed nothing:
// the lead never reached the CRM. Nothing of the event had, so it takes the
// later body and is mapped anew: the contact and the deal are in the CRM,
// the first body is kept in the quarantine, resolved as the event.
func TestUnmappableLeadSentAgainWithItsContactReachesTheCRM(t *testing.T) {
	t.Parallel()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)
	d := start(t, config)

	lead, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	contact := []byte(`"contact_email": "support@estateagentfeeds.com", "contact_phone": "+44(0)20 3870 4550"`)
	noContact := bytes.Replace(lead, contact, []byte(`"contact_email": null, "contact_phone": null`), 1)
	if bytes.Equal(noContact, lead) {
		t.Fatal("the fixture's contact is not where the test looks")
	}
	url := d.url + "/hooks/eaf/" + e2eEAFToken
	first, err := post(url, noContact)
	if err != nil || first.Status != "accepted" {
		t.Fatalf("first: %+v %v", first, err)
	}
	waitFor(t, "the lead without a contact unmappable", func() bool {
		evs := syncdJSON(t, "events", "list", "-config", config, "-json")
		return len(evs) == 1 && evs[0]["map_state"] == "unmappable"
	})
	again, err := post(url, lead)
	if err != nil || again.Status != "duplicate" || again.ID != first.ID {
		t.Fatalf("again: %+v %v; want a duplicate of event %s", again, err, first.ID)
	}
	waitForRecords(t, fake, d, 1, 1, "the lead sent again with its contact")
	q := syncdJSON(t, "events", "list", "-config", config, "-quarantined", "-json")
	if len(q) != 1 || q[0]["repaired_as_event"] != float64(1) || !strings.HasPrefix(q[0]["reason"].(string), "replaced:") {
		t.Fatalf("quarantine %v; want the first body, resolved as event 1", q)
	}
	// The phone as the body wrote it, or its digits run together (a bare
	// "3870" also matches a random port in the log).
	if !strings.Contains(d.log(), "took the later body") || strings.Contains(d.log(), "3870 4550") ||
		strings.Contains(d.log(), "38704550") {
		t.Fatalf("the log does not say the event took the later body, or holds the phone:\n%s", d.log())
	}
}
