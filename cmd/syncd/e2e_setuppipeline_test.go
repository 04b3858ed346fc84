package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCRMSetupWithoutThePipelineWrittenIsNotDone: an account that lacks
// the pipeline or a stage the mappings write (HubSpot: no pipeline
// "default", only "Lettings"; Pipedrive: a stage renamed from "Qualified").
// `syncd crm setup` made the properties, said `done` and exited 0, while
// `syncd crm check` failed on the pipeline and stages, and `crm setup &&
// systemctl start syncd` started a daemon that paused at the first deal;
// HubSpot's fix for a stage of a pipeline that does not exist read "write
// one of  in hubspot/eaf.yaml:47", naming none. Setup now lists each as
// `cannot create` with the check's words and ends `not done`, exit 2, and
// the stage's fix names the account's stages with their pipeline.
func TestCRMSetupWithoutThePipelineWrittenIsNotDone(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	hs, hsURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, StrictSchema: true})
	hs.SetPipelines([]crmfake.Pipeline{{ID: "1234", Label: "Lettings", Stages: []crmfake.Stage{{ID: "5678", Label: "New enquiry"}}}})
	pd, pdURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token", StrictSchema: true})
	pd.SetPDPipelines([]crmfake.PDPipeline{{ID: 1, Name: "Pipeline", Stages: []crmfake.PDStage{{ID: 1, Name: "Qualified lead"}, {ID: 2, Name: "Contact Made"}}}})
	for _, tc := range []struct {
		name, yaml string
		rows       []string
	}{
		{"hubspot", crmConfig(filepath.Join(dir, "hubspot"), hsURL, e2eLBToken), []string{
			`pipeline cannot create pipeline "default" does not exist: write one of 1234 (Lettings) in hubspot/eaf.yaml:46`,
			`dealstage cannot create deal stage "appointmentscheduled" is not a stage of the pipeline written: the pipeline written does not exist: ` +
				`write, with its pipeline's id, one of 5678 (New enquiry, pipeline 1234) in hubspot/eaf.yaml:47`,
			"not done: 3 rows above"}},
		{"pipedrive", pipedriveConfig(filepath.Join(dir, "pipedrive"), pdURL), []string{
			`stage cannot create no stage named "Qualified": write one of: "Qualified lead", "Contact Made" in pipedrive/eaf.yaml:39`,
			"not done: 1 row above"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			config := filepath.Join(dir, tc.name+".yaml")
			if err := os.MkdirAll(filepath.Join(dir, tc.name), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(config, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			out, stderr, code := syncdRun(t, "crm", "setup", "-config", config)
			t.Logf("%s: syncd crm setup, exit %d:\n%s%s", tc.name, code, out, stderr)
			if code != 2 || strings.Contains(out, "done: run") {
				t.Errorf("%s: setup: exit %d, want 2 and not done", tc.name, code)
			}
			mustContain(t, tc.name+" setup", strings.Join(strings.Fields(out), " "), tc.rows...)
			if out, stderr, code := syncdRun(t, "crm", "check", "-config", config); code != 2 {
				t.Errorf("%s: check: exit %d, want 2\n%s%s", tc.name, code, out, stderr)
			}
		})
	}
}
