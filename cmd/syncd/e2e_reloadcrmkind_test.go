package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestReloadOfAnotherCRMKindWaitsForTheRestart: an operator moving the
// agency from HubSpot to Pipedrive edits crm.kind, its pipedrive: section
// and mapping.dir (the Pipedrive mappings), and a source's tokens in the
// same edit, then reloads, as syncd validate passed the file. The reload
// loaded the Pipedrive mappings for the running HubSpot adapter and was
// REJECTED (exit 2), every Pipedrive field "not a hubspot property type"
// and "fix them", which the operator could not; status said a restart
// would hold the mapping. A restart takes another CRM: the reload takes
// the rest (the new token), keeps the CRM and mappings it runs on, and
// says crm.kind and mapping.dir wait for the restart, as status does; the
// restart then sends to Pipedrive.
func TestReloadOfAnotherCRMKindWaitsForTheRestart(t *testing.T) {
	t.Parallel()
	hs, hsURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	pd, pdURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token"})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, hsURL, true)
	d := start(t, config)
	stopped := false
	defer func() {
		if !stopped {
			d.stop(t, syscall.SIGTERM)
		}
	}()
	raw, _ := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	enquiry := func(n int) []byte { // a lead of its own, no duplicate of the others
		return []byte(strings.Replace(string(raw), "grand view", fmt.Sprintf("grand view %d", n), 1))
	}
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, enquiry(1)); err != nil || a.Code != 200 {
		t.Fatalf("post: %+v %v", a, err)
	}
	waitFor(t, "the lead's deal in HubSpot", func() bool { return len(hs.State().Deals) == 1 })

	file, _ := os.ReadFile(config)
	hubspotMaps, _ := filepath.Abs("../../mappings/hubspot")
	const newToken = "e2e-lokalebasen-token-after-the-move"
	edited := strings.NewReplacer(
		"  kind: hubspot\n", fmt.Sprintf("  kind: pipedrive\n  pipedrive:\n    base_url: %s\n    token: fake-pipedrive-token\n", pdURL),
		hubspotMaps, filepath.Join(filepath.Dir(hubspotMaps), "pipedrive"),
		"tokens: ["+e2eLBToken+"]", "tokens: ["+e2eLBToken+", "+newToken+"]",
	).Replace(string(file))
	if err := os.WriteFile(config, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := syncdRun(t, "validate", "-config", config); code != 0 {
		t.Fatalf("validate of the edited file: exit %d\n%s%s", code, out, stderr)
	}

	out, stderr, code := syncdRun(t, "reload", "-config", config)
	const waits = "read only at start: crm.kind, crm.pipedrive.base_url, crm.pipedrive.token, mapping.dir:"
	if code != 0 || !strings.Contains(out, "reloaded: ") || !strings.Contains(out, waits) {
		t.Fatalf("reload of crm.kind and mapping.dir moved to Pipedrive: exit %d\n%s%s\nwant exit 0, reloaded, and %q",
			code, out, stderr, waits)
	}
	out, _, _ = syncdRun(t, "status", "-config", config)
	if !strings.Contains(out, waits) || strings.Contains(out, "NOT LOAD") || strings.Contains(out, "CHANGED on disk") {
		t.Fatalf("status after the reload:\n%s\nwant %q, and no files that do not load or were not reloaded", out, waits)
	}
	// The rest of the edit is taken, and the leads still go to the CRM it runs on.
	if a, err := post(d.url+"/hooks/lokalebasen/"+newToken, enquiry(2)); err != nil || a.Code != 200 {
		t.Fatalf("post with the token the reload added: %+v %v", a, err)
	}
	waitFor(t, "the second lead's deal in HubSpot", func() bool { return len(hs.State().Deals) == 2 })
	if n := len(pd.State().Deals); n != 0 {
		t.Fatalf("%d deals in Pipedrive before the restart", n)
	}

	// The restart takes Pipedrive, once crm setup made its fields.
	stopped = true
	d.stop(t, syscall.SIGTERM)
	if out, stderr, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("crm setup of Pipedrive: exit %d\n%s%s", code, out, stderr)
	}
	d = start(t, config)
	stopped = false
	if a, err := post(d.url+"/hooks/lokalebasen/"+newToken, enquiry(3)); err != nil || a.Code != 200 {
		t.Fatalf("post after the restart: %+v %v", a, err)
	}
	waitFor(t, "a deal in Pipedrive after the restart", func() bool { return len(pd.State().Deals) == 1 })
	if out, _, _ := syncdRun(t, "status", "-config", config); strings.Contains(out, "read only at start") {
		t.Fatalf("status after the restart still says settings wait for one:\n%s", out)
	}
}
