package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// pdPipelines is a Pipedrive account with the pipeline the shipped
// mappings write ("Pipeline", stage "Qualified") and another, "Lettings";
// hidden makes "Pipeline" one the token's user may not see.
func pdPipelines(hidden bool) []crmfake.PDPipeline {
	return []crmfake.PDPipeline{
		{ID: 1, Name: "Pipeline", Hidden: hidden, Stages: []crmfake.PDStage{{ID: 1, Name: "Qualified"}, {ID: 2, Name: "Contact Made"}}},
		{ID: 2, Name: "Lettings", Stages: []crmfake.PDStage{{ID: 7, Name: "New enquiry"}}},
	}
}

// TestPipedrivePipelineHiddenAfterSetupPausesSayingWhy: the token is a
// regular user's; the account check passed at start, then an admin
// restricted the pipeline the mappings write to a visibility group the
// user is not in. Pipedrive refuses the deals (400). The lead's deal is
// neither lost nor sent again and again: once the pipelines are read
// again, the adapter pauses, and syncd status says the token's user may
// not see the pipeline and what to do, where it said only `no pipeline
// named "Pipeline"`. Made visible again, `syncd sync -resume` sends it.
func TestPipedrivePipelineHiddenAfterSetupPausesSayingWhy(t *testing.T) {
	t.Parallel()
	notInShort(t, waitsOutTimers) // the pipelines are read again a minute after the check
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token", StrictSchema: true, RegularUser: true})
	fake.SetPDPipelines(pdPipelines(false))
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(pipedriveConfig(dir, url)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("crm setup: exit %d\n%s%s", code, out, stderr)
	}
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	waitFor(t, "the account check at start", func() bool { return strings.Contains(d.log(), "crm check passed") })
	fake.SetPDPipelines(pdPipelines(true)) // an admin hides it from the token's user
	lead, _ := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	post(d.url+"/hooks/lokalebasen/"+e2eLBToken, lead)

	// The pipelines read at start are read again a minute after, at the
	// earliest: the deal waits until then.
	deadline := time.Now().Add(3 * time.Minute)
	for !strings.Contains(d.log(), "crm adapter paused") {
		if time.Now().After(deadline) {
			t.Fatalf("no pause:\n%s", d.log())
		}
		time.Sleep(200 * time.Millisecond)
	}
	if strings.Contains(d.log(), "dead letter") || len(fake.State().Deals) != 0 {
		t.Fatalf("the deal was dead-lettered or made:\n%s", d.log())
	}
	out, stderr, code := syncdRun(t, "status", "-config", config)
	t.Logf("syncd status, exit %d:\n%s%s", code, out, stderr)
	mustContain(t, "status", out, `PAUSED`, `no pipeline named "Pipeline"; the token's user is not an admin, and Pipedrive does not show it a pipeline its visibility group may not see`,
		"let the token's user see its pipeline (Settings > Manage users > Visibility groups, the group's pipelines) or use an admin user's API token")
	out, _, _ = syncdRun(t, "outbox", "list", "-config", config)
	mustContain(t, "outbox list", out, "pending", "PIPELINE_HIDDEN")

	fake.SetPDPipelines(pdPipelines(false)) // the admin lets the user see it again
	if out, stderr, code := syncdRun(t, "sync", "-resume", "-config", config); code != 0 {
		t.Fatalf("sync -resume: exit %d\n%s%s", code, out, stderr)
	}
	waitFor(t, "the lead's deal", func() bool { return len(fake.State().Deals) == 1 })
	if p := fake.State().Deals[0].Properties; p["pipeline_id"] != "1" || p["stage_id"] != "1" {
		t.Errorf("the deal went to pipeline %q stage %q, want 1, 1", p["pipeline_id"], p["stage_id"])
	}
}
