package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCRMSetupAddsTheOptionsAPipedriveFieldLacks: the deal field "syncd
// enquiry type", which the shipped Lokalebasen mappings declare an enum of
// client and extra, made by hand in Pipedrive with the option "client"
// only. `syncd crm check` named the missing option, but `syncd crm setup`
// listed the field `exists`, said `done` and exited 0, and the daemon
// started by `crm setup && systemctl start syncd` paused at the first
// "extra" enquiry. Setup now adds the option (Pipedrive's Fields API v2
// takes new options), says so, and the check passes.
func TestCRMSetupAddsTheOptionsAPipedriveFieldLacks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token", StrictSchema: true})
	fake.AddField("deal", crmfake.Field{Name: "syncd enquiry type", Type: "enum", Options: []crmfake.PDOption{{Label: "client"}}})
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(pipedriveConfig(dir, url)), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
	t.Logf("syncd crm check (before setup), exit %d:\n%s%s", code, out, stderr)
	mustContain(t, "check", out, `"extra", an option the mappings declare, is not an option of deal field "syncd enquiry type"`,
		"run `syncd crm setup`, which adds it")

	out, stderr, code = syncdRun(t, "crm", "setup", "-dry-run", "-config", config)
	t.Logf("syncd crm setup -dry-run, exit %d:\n%s%s", code, out, stderr)
	mustContain(t, "setup -dry-run", strings.Join(strings.Fields(out), " "), `syncd enquiry type would add options enum`, `: "extra"`)

	out, stderr, code = syncdRun(t, "crm", "setup", "-config", config)
	t.Logf("syncd crm setup, exit %d:\n%s%s", code, out, stderr)
	mustContain(t, "setup", strings.Join(strings.Fields(out), " "), `syncd enquiry type added options enum`, `: "extra"`, "done")
	if code != 0 {
		t.Errorf("setup: exit %d, want 0", code)
	}
	var labels []string
	for _, f := range fake.Fields("deal") {
		if f.Name == "syncd enquiry type" {
			for _, o := range f.Options {
				labels = append(labels, o.Label)
			}
		}
	}
	if strings.Join(labels, ",") != "client,extra" {
		t.Errorf("the field's options after setup: %q, want client and extra", labels)
	}
	if out, stderr, code := syncdRun(t, "crm", "check", "-config", config); code != 0 {
		t.Errorf("check after setup: exit %d, want 0\n%s%s", code, out, stderr)
	}
}
