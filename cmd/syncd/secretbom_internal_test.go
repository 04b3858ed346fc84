package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestSecretFileWithByteOrderMarkIsNotSaidChanged: the daemon compares a
// secret file with what Load read from it, trimmed as Load trims it; a
// token file that begins with a byte order mark (Notepad, PowerShell),
// which Load leaves out of the token, must not be said changed while it
// is not.
func TestSecretFileWithByteOrderMarkIsNotSaidChanged(t *testing.T) {
	t.Parallel()
	file, _, _, _ := staleFixture(t)
	token := filepath.Join(filepath.Dir(file), "eaf-token")
	os.WriteFile(token, []byte("\ufeffeaf-token-as-loaded-0123\r\n"), 0o600)
	yaml, _ := os.ReadFile(file)
	os.WriteFile(file, bytes.Replace(yaml, []byte("    tokens: [eaf-token-0123456789]\n"),
		[]byte("    token_files: [eaf-token]\n"), 1), 0o600)
	cfg, err := config.Load(file, os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := loadRules(cfg, "dryrun")
	if err != nil {
		t.Fatal(err)
	}
	if got := loadedOf(file, cfg, rules).secretsChanged(); len(got) != 0 {
		t.Errorf("the token file as Load read it: %+v, want none changed", got)
	}
	os.WriteFile(token, []byte("eaf-token-written-after-0123\n"), 0o600)
	if got := loadedOf(file, cfg, rules).secretsChanged(); len(got) != 1 || got[0].How != "changed" {
		t.Errorf("another token written: %+v, want it changed", got)
	}
}
