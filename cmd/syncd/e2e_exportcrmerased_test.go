package main_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
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
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, url, true)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitForRecords(t, fake, d, 1, 1, "the lead")
	waitOutboxDone(t, d, filepath.Join(dir, "data", "syncd.db"), 2)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	const email = "support@estateagentfeeds.com"
	syncdOK(t, "erase", "-config", config, "-email", email, "-crm")

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
		!strings.Contains(got["stderr"].(string), "CRM erase queued (1 operations), 1 not sent yet") {
		t.Errorf("export before the CRM erasure was sent: %v; want it said pending", got)
	}
	text := syncdOK(t, "export", "-config", config, "-email", email, "-format", "text")
	mustContain(t, "export -format text before the CRM erasure was sent", text, "the agency's CRM (hubspot) was asked to erase you too: 1 still to be sent")

	if out, stderr, code := syncdRun(t, "sync", "-config", config); code != 0 {
		t.Fatalf("sync after the erase: exit %d\n%s%s", code, out, stderr)
	}
	got = crmErase("once the CRM erasure was sent")
	if js := got["json"].(map[string]any); js["pending"] != 0.0 || js["done"] != 1.0 || js["last_done_at"] == nil ||
		!strings.Contains(got["stderr"].(string), "CRM erase queued (1 operations), 1 done (the CRM confirmed it, the last at ") {
		t.Errorf("export once the CRM erasure was sent: %v; want it said done, with when", got)
	}
	text = syncdOK(t, "export", "-config", config, "-email", email, "-format", "text")
	mustContain(t, "export -format text once the CRM erasure was sent", text, "the agency's CRM (hubspot) was asked to erase you too: 1 done, the last at ")
}
