package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, "intake:\n  dedup_window: 2s\n"),
		"listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	url := d.url + "/hooks/eaf/" + e2eEAFToken
	lead := `{"eaf_type":"email_lead","eaf_id":"880080","contact_email":"ann@example.com","contact_message_flat":%q}`
	first, err := post(url, []byte(fmt.Sprintf(lead, "a viewing, please")))
	if err != nil || first.Status != "accepted" {
		t.Fatalf("the lead: %+v, %v", first, err)
	}
	if a, err := post(url, []byte(fmt.Sprintf(lead, "a viewing on Monday, please"))); err != nil || a.Status != "duplicate" {
		t.Fatalf("the lead changed within the window: %+v, %v", a, err)
	}
	changed := fmt.Sprint(syncdJSON(t, "events", "list", "-quarantined", "-json", "-config", config)[0]["id"])
	time.Sleep(3 * time.Second) // the window passes

	out, errOut, code := syncdRun(t, "events", "repair", "-config", config, changed)
	if code != 0 {
		t.Fatalf("events repair %s: exit %d\n%s%s", changed, code, out, errOut)
	}
	mustContain(t, "events repair after the window", out, "is event "+first.ID+", stored already", "recorded as its changed delivery")
	evs := syncdJSON(t, "events", "list", "-json", "-config", config)
	if len(evs) != 1 || fmt.Sprint(evs[0]["id"]) != first.ID || evs[0]["deliveries"] != 2.0 {
		t.Errorf("events after the repair: %v; want event %s alone, with its 2 deliveries", evs, first.ID)
	}
}
