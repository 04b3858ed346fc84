package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestSecretWrittenJustAfterLoadIsSaidChanged: the daemon read each secret
// file again after config.Load had read it, for the hash it compares the
// files with; a token written between the two reads was taken as loaded
// while the daemon ran on the token before it, and status never said it
// changed. The hash is now of the very bytes Load read: the file written
// after Load is said changed.
func TestSecretWrittenJustAfterLoadIsSaidChanged(t *testing.T) {
	t.Parallel()
	file, _, _, _ := staleFixture(t)
	token := filepath.Join(filepath.Dir(file), "eaf-token")
	os.WriteFile(token, []byte("eaf-token-as-loaded-0123\n"), 0o600)
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
	os.WriteFile(token, []byte("eaf-token-written-after-0123\n"), 0o600) // before the daemon kept what it loaded

	got := loadedOf(file, cfg, rules).secretsChanged()
	if len(got) != 1 || got[0].Path != token || got[0].How != "changed" {
		t.Fatalf("the token written after Load read it: %+v, want %s changed", got, token)
	}
	os.WriteFile(token, []byte("eaf-token-as-loaded-0123\n"), 0o600)
	if got := loadedOf(file, cfg, rules).secretsChanged(); len(got) != 0 {
		t.Errorf("the token as Load read it again: %+v, want none changed", got)
	}
}
