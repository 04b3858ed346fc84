package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestSecretsOthersCanReadAreWarned: a secret written into a configuration
// file that every local user can read is a warning naming its line; so is
// a secret file others can read. Values taken from the environment, and
// files others cannot read, are not.
func TestSecretsOthersCanReadAreWarned(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "maps"), 0o755)
	pw := filepath.Join(dir, "mail.pw")
	os.WriteFile(pw, []byte("mail-secret\n"), 0o644)
	yaml := `sources:
  lb:
    kind: lokalebasen
    tokens: ["literal-token-0123456789", "${LB_TOKEN}"]
    basic_auth: {username: portal, password: "p$$${X}"}
  eaf:
    kind: eaf
    tokens: ["${EAF_TOKEN:-fallback-token-0123456789}"]
mapping:
  dir: ` + filepath.Join(dir, "maps") + `
crm:
  kind: hubspot
  hubspot: {token: pat-na1-literal}
report:
  mail: {host: smtp.example.com, from: a@example.com, to: [b@example.com], password_file: ` + pw + `}
store:
  dsn: postgres://syncd:hunter2@db.example.com/syncd
`
	file := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(file, []byte(yaml), 0o644)
	os.Chmod(file, 0o644) // whatever the umask
	os.Chmod(pw, 0o644)
	load := func() []config.Problem {
		t.Helper()
		cfg, err := config.Load(file, env(map[string]string{"LB_TOKEN": "env-token-0123456789"}))
		if err != nil {
			t.Fatal(err)
		}
		return cfg.Warnings
	}
	got := map[int]string{}
	for _, w := range load() {
		got[w.Line] = w.Msg
	}
	want := map[int]string{
		4:  "the token of source lb is written in this file",
		5:  "the basic auth password of source lb is written in this file",
		13: "the HubSpot token is written in this file",
		15: "secret file " + pw + " can be read by every local user",
		17: "the PostgreSQL password is written in this file",
	}
	for line, w := range want {
		if !strings.HasPrefix(got[line], w) {
			t.Errorf("line %d: %q, want %q…", line, got[line], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("warnings %v, want lines %v", got, want)
	}
	for _, msg := range got {
		for _, secret := range []string{"literal-token", "p$$", "pat-na1", "hunter2", "mail-secret"} {
			if strings.Contains(msg, secret) {
				t.Errorf("a warning echoes a secret: %s", msg)
			}
		}
	}
	os.Chmod(file, 0o640)
	os.Chmod(pw, 0o600)
	if w := load(); len(w) != 0 {
		t.Errorf("files only their group can read: %v", w)
	}
}
