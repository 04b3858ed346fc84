package config_test

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestSecretFileAsEditorsSaveIt: a secret file saved by Notepad or
// PowerShell begins with a UTF-8 byte order mark, which was sent as the
// token's first bytes (HubSpot: 401 to the right token, after a validate
// that passed); one of two lines (a second token, a note) was sent whole
// (crm check: "invalid header field value"); one in UTF-16 was read as
// bytes. The mark is now no part of the secret, and the other two are
// each one problem, at the file's line, saying what to do. A DSN may span
// lines (key=value words): its file is read as it is.
func TestSecretFileAsEditorsSaveIt(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "maps"), 0o755)
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("hs-token", []byte("\ufeffpat-na1-0123456789abcdef\r\n"))
	write("lb-token", []byte("\ufefflb-token-0123456789\n"))
	write("pg.dsn", []byte("host=db dbname=syncd\nuser=syncd password=pw\n"))
	yaml := "sources:\n  lb:\n    kind: lokalebasen\n    token_files: [lb-token]\n" +
		"mapping:\n  dir: " + filepath.Join(dir, "maps") + "\n" +
		"crm:\n  kind: hubspot\n  hubspot:\n    token_file: hs-token\n" +
		"store:\n  kind: postgres\n  dsn_file: pg.dsn\n" +
		"report:\n  mail:\n    host: smtp.example.com\n    username: reports\n    password_file: smtp-password\n    from: r@example.com\n    to: [a@example.com]\n"
	file := filepath.Join(dir, "syncd.yaml")
	write("syncd.yaml", []byte(yaml))

	write("smtp-password", []byte("\ufeffs3cret pass\n"))
	cfg, err := config.Load(file, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, got, want string }{
		{"crm.hubspot.token", cfg.CRM.HubSpot.Token, "pat-na1-0123456789abcdef"},
		{"sources.lb token", strings.Join(cfg.Sources["lb"].Tokens, ","), "lb-token-0123456789"},
		{"report.mail.password", cfg.Report.Mail.Password, "s3cret pass"},
		{"store.dsn", cfg.Store.DSN, "host=db dbname=syncd\nuser=syncd password=pw"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if sum, ok := cfg.SecretSum(filepath.Join(dir, "hs-token")); !ok || sum != sha256.Sum256([]byte("pat-na1-0123456789abcdef")) {
		t.Errorf("the token file's sum is not of the token loaded")
	}

	for _, c := range []struct {
		name    string
		content []byte
		words   []string
	}{
		{"two lines", []byte("s3cret pass\nthe reports mailbox\n"), []string{"smtp-password", "more than one line", "on one line"}},
		{"UTF-16", []byte{0xFF, 0xFE, 's', 0, '3', 0, '\r', 0, '\n', 0}, []string{"smtp-password", "UTF-16", "save it as UTF-8"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			write("smtp-password", c.content)
			_, err := config.Load(file, env(nil))
			ps, ok := err.(config.Problems)
			if !ok || len(ps) != 1 {
				t.Fatalf("problems %v, want one", err)
			}
			if ps[0].Line != 18 {
				t.Errorf("at line %d, want 18 (password_file)", ps[0].Line)
			}
			for _, w := range c.words {
				if !strings.Contains(ps[0].Msg, w) {
					t.Errorf("%q does not say %q", ps[0].Msg, w)
				}
			}
			if strings.Contains(ps[0].Msg, "s3cret") || strings.Contains(ps[0].Msg, "mailbox") {
				t.Errorf("%q shows the file's content", ps[0].Msg)
			}
		})
	}
}
