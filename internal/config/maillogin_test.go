package config_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestMailLoginNeedsBothHalves: report.mail.username without a password
// passed validate, and the first report's mail logged in with an empty
// password, which the server refused; a password (or password_file)
// without username passed too and was never used (no username: no
// login), the server refusing the mail. Each is now a problem at its line
// saying what to add or remove; both, or neither, is none.
func TestMailLoginNeedsBothHalves(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "smtp-password")
	if err := os.WriteFile(pw, []byte("mail-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	maps, _ := filepath.Abs("../../mappings/hubspot")
	for login, want := range map[string]string{
		"username: reports":                                 "c.yaml:12: report.mail.username reports has no password: add password_file:",
		"password: s3cret":                                  "c.yaml:12: report.mail.password without report.mail.username is not used (no username: no login): add username:",
		"password_file: " + pw:                              "c.yaml:12: report.mail.password_file without report.mail.username is not used",
		"username: reports\n    password_file: " + pw:       "",
		"username: reports\n    password: s3cret":           "",
		"tls: starttls":                                     "",
		"username: reports\n    password_file: " + pw + "x": "c.yaml:13: report.mail.password_file: read secret:", // that alone
	} {
		raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nmapping:\n  dir: " + maps +
			"\nreport:\n  mail:\n    host: smtp.example.com\n    from: r@example.com\n    to: [m@example.com]\n    " + login + "\n"
		_, err := config.Parse("c.yaml", []byte(raw), env(nil))
		got := fmt.Sprint(err)
		if want == "" && err != nil || want != "" && (!strings.HasPrefix(got, want) || strings.Count(got, "\n") > 0) {
			t.Errorf("%q:\ngot  %v\nwant %q alone", login, err, want)
		}
	}
}

// TestMailHostWithoutRecipientsIsSaid: a report.mail section with its
// server set up and to: forgotten (or left empty) passed validate, and no
// report was ever mailed, no word said. Now it is a warning at host's line
// saying what to add; a host with recipients, or no mail section, is none.
func TestMailHostWithoutRecipientsIsSaid(t *testing.T) {
	maps, _ := filepath.Abs("../../mappings/hubspot")
	for mail, want := range map[string]string{
		"    host: smtp.example.com\n    from: r@example.com\n":              "c.yaml:9: report.mail.host smtp.example.com is set but report.mail.to names no recipient, so no report is mailed: add to: [ADDRESS]",
		"    host: smtp.example.com\n    to: []\n":                           "c.yaml:9: report.mail.host smtp.example.com is set but report.mail.to names no recipient",
		"    host: smtp.example.com\n    from: r@e.com\n    to: [m@e.com]\n": "",
		"    tls: starttls\n": "",
	} {
		raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nmapping:\n  dir: " + maps +
			"\nreport:\n  mail:\n" + mail
		cfg, err := config.Parse("c.yaml", []byte(raw), env(nil))
		if err != nil {
			t.Fatalf("%q: %v", mail, err)
		}
		w := fmt.Sprint(cfg.Warnings)
		if want == "" && len(cfg.Warnings) > 0 || want != "" && !strings.Contains(w, want) {
			t.Errorf("%q: warnings %s, want %q", mail, w, want)
		}
	}
}
