package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestMailLoginIsCheckedWithoutRecipients: a report.mail section naming
// its server (host:) with a username and no password, or a password
// without a username, loaded while to: was empty, and was refused only
// the day a recipient was added. The login is checked whenever the
// section names a server; a password_file is a password. A section that
// names no server logs in nowhere: a password_file alone there (as the
// credential tests give the daemon a secret file to read) stays fine.
func TestMailLoginIsCheckedWithoutRecipients(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "smtp-password")
	if err := os.WriteFile(pw, []byte("mail-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ mail, want string }{
		{"host: smtp.example.com\n    username: reports", "c.yaml:8: report.mail.username reports has no password"},
		{"host: smtp.example.com\n    password: s3cret", "c.yaml:8: report.mail.password without report.mail.username is not used"},
		{"host: smtp.example.com\n    password_file: " + pw, "c.yaml:8: report.mail.password_file without report.mail.username is not used"},
		{"username: reports", "c.yaml:7: report.mail.username reports has no password"},
		{"host: smtp.example.com\n    username: reports\n    password_file: " + pw, ""},
		{"host: smtp.example.com\n    username: reports\n    password: s3cret", ""},
		{"password_file: " + pw, ""}, // no server: read, used by none
		{"host: smtp.example.com", ""},
	} {
		raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nreport:\n  mail:\n    " + c.mail + "\nmapping: {dir: ../../mappings/hubspot}\n"
		_, err := config.Parse("c.yaml", []byte(raw), env(nil))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%q: %v", c.mail, err)
		case c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n")):
			t.Errorf("%q:\ngot  %v\nwant %q alone", c.mail, err, c.want)
		}
	}
}
