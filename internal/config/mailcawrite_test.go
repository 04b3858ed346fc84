package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestMailCAFileOthersCanWriteIsWarned: report.mail.ca_file names the
// certificates syncd trusts for the mail server. One every local user
// could write let any of them add their own and receive the reports, every
// lead's name, email and phone, in the server's place, without a word; it
// is now a warning naming the file, as a secret file others can write is.
func TestMailCAFileOthersCanWriteIsWarned(t *testing.T) {
	ca := filepath.Join(t.TempDir(), "relay.pem")
	if err := os.WriteFile(ca, mailtest.Start(t, "", "").CertPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	maps, _ := filepath.Abs("../../mappings/hubspot")
	warned := func(mode os.FileMode) []string {
		t.Helper()
		os.Chmod(ca, mode)
		raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nmapping:\n  dir: " + maps +
			"\nreport:\n  mail:\n    host: smtp.example.com\n    from: r@example.com\n    ca_file: " + ca + "\n    to: [m@example.com]\n"
		cfg, err := config.Parse("c.yaml", []byte(raw), env(nil))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, w := range cfg.Warnings {
			out = append(out, w.String())
		}
		return out
	}
	if got := warned(0o666); len(got) != 1 || !strings.HasPrefix(got[0], "c.yaml:11: report.mail.ca_file "+ca+" can be written by every local user") {
		t.Errorf("ca_file 0666: warnings %q", got)
	}
	if got := warned(0o644); len(got) != 0 {
		t.Errorf("ca_file 0644: warnings %q", got)
	}
}
