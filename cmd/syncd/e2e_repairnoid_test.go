package main_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestRepairWithACopyWithoutItsEAFIDIsRefused: an Estate Agent Feeds lead
// that did not parse, its eaf_id in it, repaired from a copy that left the
// eaf_id out, was stored as a new event keyed by its body's hash, where the
// sender's next delivery of it, with its eaf_id, made a second lead (and
// the eaf_id keys the lead's deal in the CRM). The repair refuses it, exit
// 2, nothing stored, saying what is missing and where to copy it from; the
// copy with its eaf_id is stored as the lead, and the sender's delivery
// after it is its duplicate.
func TestRepairWithACopyWithoutItsEAFIDIsRefused(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config, d := startListening(t, dir, "")
	defer d.stop(t, syscall.SIGTERM)
	url := d.url + "/hooks/eaf/" + e2eEAFToken
	id := mustQuarantine(t, url, `{"eaf_type":"email_lead","eaf_id":"880091","contact_email":"ann@example.com"`)
	copied := filepath.Join(dir, "lead.json")
	if err := os.WriteFile(copied, []byte(`{"eaf_type":"email_lead","contact_email":"ann@example.com"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := syncdRun(t, "events", "repair", "-config", config, id, copied)
	if code != 2 {
		t.Errorf("events repair with a copy without its eaf_id: exit %d, want 2\n%s%s", code, out, errOut)
	}
	mustContain(t, "events repair with a copy without its eaf_id", errOut, copied+" has no eaf_id",
		"nothing stored", "syncd events show -quarantined "+id)
	if evs := syncdJSON(t, "events", "list", "-json", "-config", config); len(evs) != 0 {
		t.Fatalf("events after the refused repair: %v; want none", evs)
	}
	lead := `{"eaf_type":"email_lead","eaf_id":"880091","contact_email":"ann@example.com"}`
	if err := os.WriteFile(copied, []byte(lead), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code = syncdRun(t, "events", "repair", "-config", config, id, copied); code != 0 {
		t.Fatalf("events repair with the eaf_id: exit %d\n%s%s", code, out, errOut)
	}
	if a, err := post(url, []byte(lead)); err != nil || a.Status != "duplicate" {
		t.Errorf("the sender's delivery after the repair: %+v, %v; want a duplicate", a, err)
	}
	if evs := syncdJSON(t, "events", "list", "-json", "-config", config); len(evs) != 1 {
		t.Errorf("events after the repair and the sender's delivery: %v; want one", evs)
	}
}
