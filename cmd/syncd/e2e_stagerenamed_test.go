package main_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestPipedriveStageRenamedIsNamedByCheck: the sales team renames the stage
// the shipped mappings write deals to ("Qualified", in eaf.yaml and in an
// expression of lokalebasen.yaml) after crm setup found it. syncd crm
// check said 'no stage named "Qualified"' and to write one of the
// pipeline's five stages in eaf.yaml alone, as if it were deleted, and
// the daemon paused at its next start on it; it now names the rename, the
// new name and both places to write it, exit 2 as before, and the daemon
// sends deals to the stage by its id meanwhile.
func TestPipedriveStageRenamedIsNamedByCheck(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token", StrictSchema: true})
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(pipedriveConfig(dir, url)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("crm setup: exit %d\n%s%s", code, out, stderr)
	}
	req, _ := http.NewRequest(http.MethodPatch, url+"/stages/1", strings.NewReader(`{"name":"Qualified lead"}`))
	req.Header.Set("x-api-token", "fake-pipedrive-token")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("rename the stage: %v, %v", resp, err)
	}
	out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
	t.Logf("syncd crm check, exit %d:\n%s%s", code, out, stderr)
	for _, want := range []string{
		`stage "Qualified" was renamed to "Qualified lead" in Pipedrive (id 1)`,
		`rename it back in Pipedrive, or write "Qualified lead" in every place that writes "Qualified" (2 places: pipedrive/eaf.yaml:39, pipedrive/lokalebasen.yaml:41)`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("crm check does not say %q", want)
		}
	}
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}

	// The daemon started on it sends the leads to the stage renamed, by
	// its kept id: it paused at the first deal ("no stage named"), and
	// every lead waited until someone edited the mappings.
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	lead, _ := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json") // its deal goes to "Qualified"
	post(d.url+"/hooks/lokalebasen/"+e2eLBToken, lead)
	waitFor(t, "the lead's deal", func() bool { return len(fake.State().Deals) == 1 })
	if p := fake.State().Deals[0].Properties; p["stage_id"] != "1" {
		t.Errorf("the deal went to stage %q, want 1 (Qualified, renamed Qualified lead)", p["stage_id"])
	}
	if strings.Contains(d.log(), "paused") {
		t.Errorf("the daemon paused:\n%s", d.log())
	}
}
