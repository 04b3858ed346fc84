package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestStatusCheckLineAgreesWithAConfigurationPause: the account check
// passed at the daemon's start, then HubSpot refused a deal for a property
// the account no longer has (deleted in HubSpot since): the adapter pauses
// for its configuration, and its check runs again only as the pause ends
// (2 minutes). Meanwhile status said "crm check  hubspot: ok" under
// "PAUSED ... CRM configuration ... run syncd crm check", as if the check
// had passed since; it now says when the check passed, that the CRM refused
// the account's configuration since, and how to check again.
func TestStatusCheckLineAgreesWithAConfigurationPause(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot})
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(crmConfig(dir, url, e2eLBToken), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1) // status asks the daemon
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("crm setup: exit %d\n%s%s", code, out, errOut)
	}
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	var out string
	var code int
	waitFor(t, "the check at the start to pass", func() bool {
		out, _, _ = syncdRun(t, "status", "-config", config)
		return strings.Contains(out, "crm check     hubspot: ok")
	})
	refusal, _ := json.Marshal(map[string]any{"status": "error", "category": "VALIDATION_ERROR", "correlationId": "c1",
		"message": `Property values were not valid: [{"isValid":false,"message":"Property \"syncd_source\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"syncd_source"}]`,
		"errors": []map[string]any{{"message": `Property "syncd_source" does not exist`, "code": "PROPERTY_DOESNT_EXIST",
			"context": map[string]any{"propertyName": []string{"syncd_source"}}}}})
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/deals/**", Action: crmfake.ActError, Status: 400, Body: string(refusal)})
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "status to show the pause", func() bool {
		out, _, code = syncdRun(t, "status", "-config", config)
		return strings.Contains(out, "hubspot: PAUSED until")
	})
	t.Logf("syncd status, exit %d:\n%s", code, out)
	_, line, _ := strings.Cut(out, "\ncrm check")
	line, _, _ = strings.Cut(line, "\n")
	if code != 5 {
		t.Errorf("exit %d, want 5: the adapter is paused", code)
	}
	mustContain(t, "the crm check line", line, "hubspot: ok when it last ran, at ", "ago), before the CRM refused",
		"it runs again as the pause ends", "syncd crm check runs it now")
}
