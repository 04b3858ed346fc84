package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestExportSaysWhetherTheCRMErasedThePerson: after erase -crm, export
// says how the CRM erasure went, in the JSON (crm_erase), on stderr and
// in the text for the person: not sent yet while no daemon sends it, then
// done, with when, once syncd sync sent it. It said "CRM erase queued (1
// operations)" for ever, the DPO left to guess whether the CRM had erased
// the person.
func TestExportSaysWhetherTheCRMErasedThePerson(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	_, config, _ := leadSentThenStopped(t)
	const email = "support@estateagentfeeds.com"
	// One of each said in the singular: it said "1 events", "1 operations",
	// "1 enquiries" and "1 CRM erase operations queued".
	out := syncdOK(t, "erase", "-config", config, "-email", email, "-crm")
	mustContain(t, "erase -crm of one lead", out, "erased: 1 event, 0 quarantined bodies, 2 outbox operations, 2 CRM links, 0 CRM create intents\n",
		"CRM erase queued: 1 operation for hubspot: ")

	crmErase := func(when string) map[string]any {
		t.Helper()
		out, stderr, code := syncdRun(t, "export", "-config", config, "-email", email)
		var ex struct {
			Erasures []struct {
				CRMErase map[string]any `json:"crm_erase"`
			} `json:"erasures"`
		}
		if code != 0 || json.Unmarshal([]byte(out), &ex) != nil || len(ex.Erasures) != 1 || ex.Erasures[0].CRMErase == nil {
			t.Fatalf("export %s: exit %d, want one erasure with its crm_erase:\n%s%s", when, code, out, stderr)
		}
		return map[string]any{"json": ex.Erasures[0].CRMErase, "stderr": stderr}
	}
	got := crmErase("before the CRM erasure was sent")
	if js := got["json"].(map[string]any); js["pending"] != 1.0 || js["done"] != 0.0 ||
		!strings.Contains(got["stderr"].(string), "CRM erase queued (1 operation), 1 not sent yet") {
		t.Errorf("export before the CRM erasure was sent: %v; want it said pending", got)
	}
	text := syncdOK(t, "export", "-config", config, "-email", email, "-format", "text")
	mustContain(t, "export -format text before the CRM erasure was sent", text,
		" syncd erased 1 enquiry, 2 records of what was sent, or was to be sent, to the CRM and 2 links to records in the CRM\n", "the agency's CRM (hubspot) was asked to erase you too, in 1 request: still to be sent\n")

	if out, stderr, code := syncdRun(t, "sync", "-config", config); code != 0 {
		t.Fatalf("sync after the erase: exit %d\n%s%s", code, out, stderr)
	}
	got = crmErase("once the CRM erasure was sent")
	if js := got["json"].(map[string]any); js["pending"] != 0.0 || js["done"] != 1.0 || js["last_done_at"] == nil ||
		!strings.Contains(got["stderr"].(string), "CRM erase queued (1 operation), 1 done (the CRM confirmed it at ") {
		t.Errorf("export once the CRM erasure was sent: %v; want it said done, with when", got)
	}
	text = syncdOK(t, "export", "-config", config, "-email", email, "-format", "text")
	mustContain(t, "export -format text once the CRM erasure was sent", text, "the agency's CRM (hubspot) was asked to erase you too, in 1 request: done, the CRM confirmed it at ")
}

// TestExportOfACRMErasureRemovedUnsentSaysSo: the agency erased a person
// with -crm, then left HubSpot (crm.kind dryrun) and dropped the erasure
// waiting for it (outbox drop -erasures). Export said of it "1 no longer
// held by syncd (dropped retention.outbox_days after done or given up)":
// untrue (the retention keeps an operation 90 days after it is done or
// given up, and the erasure is minutes old), and read as though HubSpot
// might have erased her. It now says it was removed unsent, never
// confirmed by the CRM, in the JSON (no_longer_held_why), on stderr and
// to the person, and names that CRM among what the export does not
// include.
func TestExportOfACRMErasureRemovedUnsentSaysSo(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	_, config, dir := leadSentThenStopped(t)
	const email = "support@estateagentfeeds.com"
	syncdOK(t, "erase", "-config", config, "-email", email, "-crm")
	yaml, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	dry := filepath.Join(dir, "dryrun.yaml") // the agency left HubSpot
	if err := os.WriteFile(dry, []byte(strings.Replace(string(yaml), "  kind: hubspot", "  kind: dryrun", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	dropped := syncdOK(t, "outbox", "drop", "-config", dry, "-crm", "hubspot", "-erasures")
	// An erasure belongs to no event: it said "1 operation(s) waiting for
	// hubspot (0 pending, 0 dead, 1 erasure(s)) of 0 event(s)".
	if !strings.Contains(dropped, "dropped 1 operation for hubspot (0 pending, 0 dead letters, 1 erasure)\n") {
		t.Errorf("outbox drop -erasures of one erasure:\n%s", dropped)
	}

	out, stderr, code := syncdRun(t, "export", "-config", dry, "-email", email)
	var ex struct {
		Erasures []struct {
			CRMErase map[string]any `json:"crm_erase"`
		} `json:"erasures"`
		NotIncluded []string `json:"not_included"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &ex) != nil || len(ex.Erasures) != 1 || ex.Erasures[0].CRMErase == nil {
		t.Fatalf("export: exit %d, want one erasure with its crm_erase:\n%s%s", code, out, stderr)
	}
	if js := ex.Erasures[0].CRMErase; js["no_longer_held"] != 1.0 || js["no_longer_held_why"] != "removed_unsent" {
		t.Errorf("export's crm_erase %v; want 1 no_longer_held, removed_unsent", js)
	}
	mustContain(t, "export's stderr", stderr, "CRM erase queued (1 operation), 1 removed from the outbox unsent")
	if strings.Contains(stderr, "dropped retention.outbox_days") {
		t.Errorf("export says the retention dropped an erasure minutes old:\n%s", stderr)
	}
	if !slices.ContainsFunc(ex.NotIncluded, func(s string) bool { return strings.HasPrefix(s, "the CRM syncd sent to before crm.kind changed") }) {
		t.Errorf("not_included does not name the CRM left holding the person: %q", ex.NotIncluded)
	}
	text := syncdOK(t, "export", "-config", dry, "-email", email, "-format", "text")
	mustContain(t, "export -format text", text, "was asked to erase you too, in 1 request: withdrawn before it was sent",
		"  - the CRM the agency used before, where syncd's request to erase you was withdrawn before it was sent\n")
	if strings.Contains(text, "whose outcome syncd no longer keeps") || strings.Contains(text, "a trial that sends nothing) was asked") {
		t.Errorf("the text for the person:\n%s", text)
	}
}
