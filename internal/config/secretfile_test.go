package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestSecretFileProblemsSayItOnceWhere: under systemd a secret file is
// the credential LoadCredential= copies into $CREDENTIALS_DIRECTORY, and
// the units give a blank one when its file in /etc/syncd/credentials is
// missing. A missing or blank credential was "secret file hubspot-token is
// empty" and, beside it, "crm.hubspot.token or crm.hubspot.token_file is required"
// (it was given) or "token 2 must be at least 16 characters" at the line of
// tokens: (a list of one). Each is now one problem, at the file's line,
// naming the file and, for a credential, the LoadCredential= line to look
// at; a short token from a file is named by its file.
func TestSecretFileProblemsSayItOnceWhere(t *testing.T) {
	dir := t.TempDir()
	creds := filepath.Join(dir, "creds")
	os.MkdirAll(filepath.Join(dir, "maps"), 0o755)
	os.Mkdir(creds, 0o700)
	os.WriteFile(filepath.Join(creds, "hubspot-token"), []byte("\n"), 0o600) // the units' blank default
	os.WriteFile(filepath.Join(creds, "eaf-token"), []byte("short\n"), 0o600)
	yaml := `sources:
  lb:
    kind: lokalebasen
    tokens: [literal-token-0123456789]
    token_files: [lb-token]
    basic_auth: {username: portal, password_file: lb-password}
  eaf:
    kind: eaf
    tokens: [literal-token-abcdefghij]
    token_files: [eaf-token]
mapping:
  dir: ` + filepath.Join(dir, "maps") + `
crm:
  kind: hubspot
  hubspot: {token_file: hubspot-token}
`
	file := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(file, []byte(yaml), 0o600)
	_, err := config.Load(file, env(map[string]string{"CREDENTIALS_DIRECTORY": creds}))
	if err == nil {
		t.Fatal("loaded")
	}
	ps, ok := err.(config.Problems)
	if !ok {
		t.Fatalf("error %T %v", err, err)
	}
	want := map[int][]string{
		5:  {"lb-token", filepath.Join(creds, "lb-token"), "LoadCredential="},
		6:  {"lb-password", "LoadCredential="},
		10: {"eaf-token", "at least 16 characters"},
		15: {"hubspot-token", "empty", "LoadCredential=", "/etc/syncd/credentials/hubspot-token"},
	}
	got := map[int]string{}
	for _, p := range ps {
		if got[p.Line] != "" {
			t.Errorf("line %d: a second problem: %q beside %q", p.Line, p.Msg, got[p.Line])
		}
		got[p.Line] = p.Msg
	}
	for line, words := range want {
		for _, w := range words {
			if !strings.Contains(got[line], w) {
				t.Errorf("line %d: %q, want it to say %q", line, got[line], w)
			}
		}
	}
	if len(got) != len(want) {
		t.Errorf("problems %v, want one at each of lines 5, 6, 10 and 15", ps)
	}
}
