package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestMailCAFileIsChecked: report.mail.ca_file must name a readable file
// with a PEM certificate; validate says so at the key's line rather than
// the daemon failing at start.
func TestMailCAFileIsChecked(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "relay.der")
	if err := os.WriteFile(notPEM, []byte{0x30, 0x82, 0x01}, 0o644); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		filepath.Join(dir, "missing.pem"): "c.yaml:9: report.mail.ca_file: open " + filepath.Join(dir, "missing.pem") + ": no such file or directory",
		notPEM:                            "c.yaml:9: report.mail.ca_file " + notPEM + " holds no PEM certificate",
	} {
		raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nreport:\n  mail:\n" +
			"    host: smtp.example.com\n    from: r@example.com\n    ca_file: " + file + "\n    to: [m@example.com]\n"
		_, err := config.Parse("c.yaml", []byte(raw), env(nil))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got  %v\nwant %s", err, want)
		}
	}
}
