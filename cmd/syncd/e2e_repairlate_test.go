package main_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"
)

// TestRepairOfAChangedDeliveryCountsItOnceAndLate: Estate Agent Feeds
// sends a lead, then the same eaf_id with a changed message, kept in the
// quarantine. `syncd events repair ID` (no copy), as status advises, counted
// one more delivery on the event (3 for 2 deliveries); run after
// intake.dedup_window had passed, it made a second event of the changed
// body: a second lead. It records the body as its event's, counted once,
// however late.
func TestRepairOfAChangedDeliveryCountsItOnceAndLate(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, d := startListening(t, t.TempDir(), "intake:\n  dedup_window: 2s\n")
	defer d.stop(t, syscall.SIGTERM)
	url := d.url + "/hooks/eaf/" + e2eEAFToken
	lead := `{"eaf_type":"email_lead","eaf_id":"880080","contact_email":"ann@example.com","contact_message_flat":%q}`
	first := postChangedDelivery(t, url, lead)
	changed := fmt.Sprint(syncdJSON(t, "events", "list", "-quarantined", "-json", "-config", config)[0]["id"])
	time.Sleep(3 * time.Second) // the window passes

	out, errOut, code := syncdRun(t, "events", "repair", "-config", config, changed)
	if code != 0 {
		t.Fatalf("events repair %s: exit %d\n%s%s", changed, code, out, errOut)
	}
	mustContain(t, "events repair after the window", out, "is event "+first+", stored already", "recorded as its changed delivery")
	evs := syncdJSON(t, "events", "list", "-json", "-config", config)
	if len(evs) != 1 || fmt.Sprint(evs[0]["id"]) != first || evs[0]["deliveries"] != 2.0 {
		t.Errorf("events after the repair: %v; want event %s alone, with its 2 deliveries", evs, first)
	}
}
