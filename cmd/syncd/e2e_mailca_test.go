package main_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestReportMailTrustsCAFile: a mail server with a self-signed certificate
// (an office relay, a private CA) could not be reached over STARTTLS, the
// default: the certificate was not trusted, no key could trust it, and
// `syncd report -mail` advised running it again, which failed alike. Now
// its advice names report.mail.ca_file, and with the certificate there the
// report goes out over STARTTLS with the login.
func TestReportMailTrustsCAFile(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	smtp := mailtest.Start(t, "reports", "s3cret")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pw"), []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ca := filepath.Join(dir, "relay.pem")
	if err := os.WriteFile(ca, smtp.CertPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	makeDB(t, dir)
	run := func(caLine string) (string, int) {
		cfg := configYAML(dir, []string{e2eLBToken}, "report:\n  mail:\n    host: 127.0.0.1\n    port: "+
			strconv.Itoa(smtp.Port)+"\n    username: reports\n    password_file: "+filepath.Join(dir, "pw")+caLine+
			"\n    from: syncd@example.com\n    to: [manager@example.com]\n")
		file := filepath.Join(dir, "syncd.yaml")
		if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		_, stderr, code := syncdRun(t, "report", "-mail", "-config", file)
		return stderr, code
	}
	stderr, code := run("")
	if code != 1 || !strings.Contains(stderr, "certificate") || !strings.Contains(stderr, "report.mail.ca_file") ||
		len(smtp.Messages()) != 0 {
		t.Fatalf("untrusted certificate: exit %d, %d messages\n%s", code, len(smtp.Messages()), stderr)
	}
	stderr, code = run("\n    ca_file: " + ca)
	if msgs := smtp.Messages(); code != 0 || len(msgs) != 1 || msgs[0].User != "reports" {
		t.Fatalf("with ca_file: exit %d, %d messages\n%s", code, len(msgs), stderr)
	}
}
