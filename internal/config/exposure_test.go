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
  mail: {host: smtp.example.com, from: a@example.com, to: [b@example.com], username: r, password_file: ` + pw + `}
store:
  dsn: postgres://syncd:hunter2@db.example.com/syncd
  kind: postgres
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
		4:  "sources.lb.tokens entry 1 is written in this file",
		5:  "sources.lb.basic_auth.password is written in this file",
		8:  "sources.eaf.tokens entry 1 is written in this file", // the default, taken: EAF_TOKEN is not set
		13: "crm.hubspot.token is written in this file",
		15: "report.mail.password_file: secret file " + pw + " can be read by every local user",
		17: "the password in store.dsn is written in this file",
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
		for _, secret := range []string{"literal-token", "p$$", "pat-na1", "hunter2", "mail-secret", "fallback-token"} {
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

// TestSecretWrittenAroundAVariableIsWarned: a secret is written in the
// file when it is a ${NAME:-default}'s default (the example's placeholder
// replaced in place by an operator's token: the token taken whenever NAME
// is not set, as in a service whose unit does not set it) or the text
// around a ${NAME} (a DSN's password before @${PGHOST}); both were taken
// for values of the environment's, and a configuration every local user
// can read gave them away unwarned. The example's placeholder default,
// no secret, is not warned of.
func TestSecretWrittenAroundAVariableIsWarned(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "maps"), 0o755)
	yaml := `sources:
  lb:
    kind: lokalebasen
    tokens: ["${LB_TOKEN:-example-lokalebasen-token-change-me}"]
  eaf:
    kind: eaf
    tokens: ["${EAF_TOKEN:-Zq3-the-eaf-token-0123456789}"]
    basic_auth: {username: portal, password: "${EAF_PW:-s3cret}"}
mapping:
  dir: ` + filepath.Join(dir, "maps") + `
crm:
  kind: hubspot
  hubspot: {token: "${HS_TOKEN}"}
store:
  dsn: postgres://syncd:hunter2@${PGHOST:-db.example.com}/syncd
  kind: postgres
`
	file := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(file, []byte(yaml), 0o644)
	os.Chmod(file, 0o644) // whatever the umask
	vars := map[string]string{"LB_TOKEN": "env-token-0123456789", "EAF_TOKEN": "env-token-9876543210", "HS_TOKEN": "pat-na1-x"}
	cfg, err := config.Load(file, env(vars))
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]string{}
	for _, w := range cfg.Warnings {
		if strings.Contains(w.Msg, "is written in this file") {
			got[w.Line] = w.Msg
		}
	}
	want := map[int]string{
		7:  "sources.eaf.tokens entry 1 is written in this file (as ${EAF_TOKEN}'s default, taken wherever EAF_TOKEN is not set), which every local user can read",
		8:  "sources.eaf.basic_auth.password is written in this file",
		15: "the password in store.dsn is written in this file",
	}
	for line, w := range want {
		if !strings.HasPrefix(got[line], w) {
			t.Errorf("line %d: %q, want %q…", line, got[line], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("warnings %v, want lines 7, 8 and 15", got)
	}
	for _, msg := range got {
		for _, secret := range []string{"Zq3", "s3cret", "hunter2"} {
			if strings.Contains(msg, secret) {
				t.Errorf("a warning echoes a secret: %s", msg)
			}
		}
	}
	os.Chmod(file, 0o640)
	if cfg, err := config.Load(file, env(vars)); err != nil || len(cfg.Warnings) != 0 {
		t.Errorf("a file only its group can read: %v %v", err, cfg.Warnings)
	}
}

// TestFilesOthersCanWriteAreWarned: a configuration file every local user
// can write lets any of them point the CRM's base_url at their own server
// (taking the token and the leads) or add a webhook token of their own; a
// secret file they can write, replace the token. Each is a warning naming
// the file, though the file holds no secret to read.
func TestFilesOthersCanWriteAreWarned(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "maps"), 0o755)
	tok := filepath.Join(dir, "lb-token")
	os.WriteFile(tok, []byte("file-token-0123456789\n"), 0o600)
	yaml := `sources:
  lb:
    kind: lokalebasen
    tokens: ["${LB_TOKEN}"]
    token_files: [` + tok + `]
mapping:
  dir: ` + filepath.Join(dir, "maps") + `
crm:
  kind: hubspot
  hubspot: {token: "${HS_TOKEN}"}
`
	file := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(file, []byte(yaml), 0o600)
	load := func() []string {
		t.Helper()
		cfg, err := config.Load(file, env(map[string]string{"LB_TOKEN": "env-token-0123456789", "HS_TOKEN": "pat-na1-x"}))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, w := range cfg.Warnings {
			out = append(out, w.String())
		}
		return out
	}
	os.Chmod(file, 0o666)
	os.Chmod(tok, 0o602)
	got := load()
	want := []string{
		file + ": this file can be written by every local user (mode -rw-rw-rw-)",
		file + ":5: sources.lb.token_files entry 1: secret file " + tok + " can be written by every local user (mode -rw-----w-)",
	}
	if len(got) != len(want) {
		t.Fatalf("warnings %q, want %d", got, len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("warning %q, want %q…", got[i], want[i])
		}
	}
	os.Chmod(file, 0o664) // its group may write it (the operators'), as may its owner
	os.Chmod(tok, 0o600)
	if w := load(); len(w) != 0 {
		t.Errorf("files only owner and group can write: %v", w)
	}
}
