package config_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestExamplePipedriveBlockUncommentedKeepsItsValues: an operator trying
// Pipedrive uncomments the example's crm.pipedrive block and replaces
// COMPANY and the token. Every value the block then holds must be one
// syncd can take as written: the lead id field is the default field
// (crm setup makes it) or a field's 40-character key, not a description
// of one, which crm setup would create in the client's account as a
// deal field of that name.
func TestExamplePipedriveBlockUncommentedKeepsItsValues(t *testing.T) {
	wd, _ := os.Getwd()
	t.Chdir(filepath.Join(wd, "..", ".."))
	raw, err := os.ReadFile("configs/syncd.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	inBlock := false
	for _, line := range strings.Split(string(raw), "\n") {
		switch {
		case strings.HasPrefix(line, "  kind: dryrun"):
			line = "  kind: pipedrive"
		case line == "  # pipedrive:":
			line, inBlock = "  pipedrive:", true
		case inBlock && strings.HasPrefix(line, "  #   "):
			line = "    " + strings.TrimPrefix(line, "  #   ")
			line = strings.ReplaceAll(line, "COMPANY", "acme")
			line = strings.ReplaceAll(line, "token_file: pipedrive-token", "token: t")
		default:
			inBlock = false
		}
		line = strings.ReplaceAll(line, "dir: mappings/hubspot", "dir: mappings/pipedrive")
		out = append(out, line)
	}
	file := filepath.Join(t.TempDir(), "syncd.yaml")
	if err := os.WriteFile(file, []byte(strings.Join(out, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(file, env(map[string]string{"SYNCD_DATA_DIR": t.TempDir()}))
	if err != nil {
		t.Fatalf("the example's pipedrive block, uncommented: %v", err)
	}
	pd := cfg.CRM.Pipedrive
	if pd.BaseURL != "https://acme.pipedrive.com/api/v2" {
		t.Fatalf("the block was not uncommented: base_url %q", pd.BaseURL)
	}
	if pd.LeadIDField != "syncd lead id" && !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(pd.LeadIDField) {
		t.Errorf("lead_id_field uncommented is %q: neither the default field's name nor a field's key", pd.LeadIDField)
	}
}
