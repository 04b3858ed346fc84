package main_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestLeadSharingAnUnrecognisedBodysEAFIDReachesTheCRM: a body posted to
// an Estate Agent Feeds source that does not have its shape (no eaf_type,
// or a Lokalebasen event_type beside it) is stored as unrecognised and
// never mapped. It was keyed by its eaf_id as a lead is, so the email_lead
// that later came with the same eaf_id was answered duplicate of the
// unrecognised event, its body set aside in the quarantine: the lead never
// reached the CRM. An unrecognised body is keyed by its hash, and the lead
// is an event of its own, mapped and synced.
func TestLeadSharingAnUnrecognisedBodysEAFIDReachesTheCRM(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)
	d := start(t, config)
	url := d.url + "/hooks/eaf/" + e2eEAFToken

	lead, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	typed := []byte(`"eaf_type": "email_lead",`)
	if !bytes.Contains(lead, typed) {
		t.Fatal("the fixture's eaf_type is not where the test looks")
	}
	for i, odd := range [][]byte{
		bytes.Replace(lead, typed, nil, 1), // no eaf_type
		bytes.Replace(lead, typed, []byte(`"eaf_type": "email_lead", "event_type": "enquiry_created",`), 1),
	} {
		a, err := post(url, odd)
		if err != nil || a.Status != "accepted" {
			t.Fatalf("unrecognised body %d: %+v %v", i, a, err)
		}
	}
	waitFor(t, "both bodies unrecognised", func() bool {
		evs := syncdJSON(t, "events", "list", "-config", config, "-json")
		return len(evs) == 2 && evs[0]["map_state"] == "unrecognised" && evs[1]["map_state"] == "unrecognised"
	})
	a, err := post(url, lead)
	if err != nil || a.Status != "accepted" || a.ID != "3" {
		t.Fatalf("the lead: %+v %v; want accepted as event 3", a, err)
	}
	waitForRecords(t, fake, d, 1, 1, "the lead with an unrecognised body's eaf_id")
	if again, err := post(url, lead); err != nil || again.Status != "duplicate" || again.ID != a.ID {
		t.Fatalf("the lead's retry: %+v %v; want a duplicate of event %s", again, err, a.ID)
	}
	if q := syncdJSON(t, "events", "list", "-config", config, "-quarantined", "-json"); len(q) != 0 {
		t.Fatalf("quarantine %v; want nothing set aside", q)
	}
}
