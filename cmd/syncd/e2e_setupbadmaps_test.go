package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCRMSetupWithMappingsOfAnotherCRMMakesNoDatabase: the README's local
// trial switched to Pipedrive with the example's mapping.dir, HubSpot's,
// left as it was. `crm setup` refused the mappings (exit 2), but only
// after it had made the database in data_dir, saying it did so "as the
// daemon's first start would": a database and a marker left behind by a
// command that did nothing. Now the mappings are checked first: exit 2,
// the problems named, and data_dir as it was.
func TestCRMSetupWithMappingsOfAnotherCRMMakesNoDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	hubspotMaps, _ := filepath.Abs("../../mappings/hubspot")
	yaml := strings.Replace(pipedriveConfig(dir, "http://127.0.0.1:1/api/v2"), "/mappings/pipedrive", "/mappings/hubspot", 1)
	mustContain(t, "the configuration", yaml, hubspotMaps)
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "crm", "setup", "-config", config)
	t.Logf("syncd crm setup, exit %d:\n%s%s", code, out, stderr)
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	mustContain(t, "stderr", stderr, "is not a pipedrive field type")
	if strings.Contains(stderr, "made the database") {
		t.Errorf("stderr says it made a database:\n%s", stderr)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "data"))
	for _, e := range entries {
		t.Errorf("data_dir holds %s after a setup that refused the mappings", e.Name())
	}
}
