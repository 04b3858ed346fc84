package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCheckNamesTheLineThatWritesTheValue: a Pipedrive account whose
// stage "Contact Made" is called "Contacted". The stage is written by the
// Lokalebasen rule (pipedrive/lokalebasen.yaml:41); crm check's fix sent
// the operator to the first rule writing any stage (pipedrive/eaf.yaml:27),
// where "Contact Made" is nowhere. It names the line that writes the value.
func TestCheckNamesTheLineThatWritesTheValue(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token"})
	var stages []crmfake.PDStage
	for i, n := range []string{"Qualified", "Contacted", "Needs Defined"} {
		stages = append(stages, crmfake.PDStage{ID: int64(i + 1), Name: n})
	}
	fake.SetPDPipelines([]crmfake.PDPipeline{{ID: 1, Name: "Pipeline", Stages: stages}})
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(config, []byte(pipedriveConfig(dir, url)), 0o600)
	syncdRun(t, "crm", "setup", "-config", config)
	out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
	t.Logf("syncd crm check, exit %d:\n%s%s", code, out, stderr)
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	mustContain(t, "crm check", out, `no stage named "Contact Made"`, `write one of: "Qualified", "Contacted", "Needs Defined" in pipedrive/lokalebasen.yaml:41`)
	if strings.Contains(out, "eaf.yaml") {
		t.Fatalf("crm check names a file that does not write the stage:\n%s", out)
	}
}
