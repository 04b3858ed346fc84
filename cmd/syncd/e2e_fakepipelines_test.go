package main_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFakePipedrivePipelineHiddenAfterSetup: `syncd fakecrm -kind
// pipedrive -regular-user` could hide a pipeline only at start, so an
// operator could not play one an admin hides, or deletes, after setup.
// Its admin API hides the pipeline the shipped mappings write, shows it
// again and deletes it while it runs, and `syncd crm check` against it
// says each.
func TestFakePipedrivePipelineHiddenAfterSetup(t *testing.T) {
	t.Parallel()
	addr := startFakeCRMCmd(t, "-kind", "pipedrive", "-regular-user")
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(pipedriveConfig(dir, "http://"+addr+"/api/v2")), 0o600); err != nil {
		t.Fatal(err)
	}
	admin := func(method, path string) {
		t.Helper()
		req, _ := http.NewRequest(method, "http://"+addr+"/__admin/pipelines/"+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %s", method, path, resp.Status)
		}
	}
	hidden := "Pipedrive does not show it a pipeline its visibility group may not see"
	check := func(when string, say, sayNot string) {
		t.Helper()
		out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
		t.Logf("%s: syncd crm check, exit %d:\n%s%s", when, code, out, stderr)
		if say != "" && !strings.Contains(out, say) {
			t.Errorf("%s: crm check does not say %q", when, say)
		}
		if sayNot != "" && strings.Contains(out, sayNot) {
			t.Errorf("%s: crm check says %q", when, sayNot)
		}
	}
	check("as started", "", `"Pipeline"`)
	admin(http.MethodPost, "Pipeline/hide")
	check("hidden", `no pipeline named or numbered "Pipeline"; the token's user is not an admin, and `+hidden, "")
	admin(http.MethodPost, "Pipeline/show")
	check("shown again", "", `"Pipeline"`)
	admin(http.MethodDelete, "Pipeline")
	check("deleted", `no pipeline named or numbered "Pipeline"`, "")
}
