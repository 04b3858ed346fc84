package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestHubSpotRequiredPropertyIsToldNotDeadLettered: a HubSpot account
// whose admin made a contact property required that the mappings do not
// write ("region"): HubSpot refuses every new contact with 400
// VALIDATION_ERROR naming it (the stand-in's fault, in HubSpot's
// documented shape; the contract names no such refusal). `syncd status`
// showed every lead as a dead letter, "crm refused the record's own value",
// while crm check said the account was ready. It now shows the adapter
// paused, naming the property, that the mappings do not write it and the
// two ways out, no dead letter, and a hint that does not send the operator
// to crm check, which cannot see it.
func TestHubSpotRequiredPropertyIsToldNotDeadLettered(t *testing.T) {
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
	refusal, _ := json.Marshal(map[string]any{"status": "error", "category": "VALIDATION_ERROR", "correlationId": "c1",
		"message": `Property values were not valid: [{"isValid":false,"message":"Property \"region\" is required","error":"REQUIRED","name":"region"}]`})
	for _, create := range []string{"/crm/v3/objects/contacts", "/crm/v3/objects/contacts/batch/upsert"} { // not its searches
		fake.AddFault(crmfake.Fault{Method: "POST", Path: create, Action: crmfake.ActError, Status: 400, Body: string(refusal)})
	}
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	postTestdata(t, d, "eaf/email_lead.json")
	dead := regexp.MustCompile(`dead letters\s+[1-9]`)
	var out string
	waitFor(t, "status to show a pause or a dead letter", func() bool {
		out, _, _ = syncdRun(t, "status", "-config", config)
		return strings.Contains(out, "hubspot: PAUSED until") || dead.MatchString(out)
	})
	t.Logf("syncd status:\n%s", out)
	if dead.MatchString(out) {
		t.Errorf("the lead was dead-lettered for a property the account requires; the daemon's log:\n%s", d.log())
	}
	flat := strings.Join(strings.Fields(out), " ")
	mustContain(t, "status", flat, `HubSpot refuses every new contact without contact property "region", which the mappings do not write`,
		"write it in the mappings (region: {const: ...} in each rule's contact, or from the payload), or make it optional in HubSpot",
		"`syncd crm check` cannot see which properties HubSpot requires", "it resumes by itself once the CRM takes a lead",
		"as the pause ends (every 2 minutes)") // it said Go's "(every 2m0s)"
	// The check's line said it "runs again as the pause ends; syncd crm
	// check runs it now", as if a check could end this pause.
	if strings.Contains(flat, "crm check hubspot: ok") && (!strings.Contains(flat, "it cannot see what the CRM refused") ||
		strings.Contains(flat, "syncd crm check runs it now")) {
		t.Errorf("status's crm check line during a pause no check can see:\n%s", out)
	}
}
