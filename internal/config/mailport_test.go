package config_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestMailPortAgreesWithTLS: port 465 is TLS from the first byte (SMTPS),
// 587 and 25 plain text first (STARTTLS). A port and a tls: that disagree
// were accepted: `syncd report -mail` then waited 30 s for a greeting that
// never comes (465 without tls: tls), or failed with "first record does
// not look like a TLS handshake", and the daemon tried 5 times. validate
// says which to set instead.
func TestMailPortAgreesWithTLS(t *testing.T) {
	for mail, want := range map[string]string{
		"port: 465":                    "c.yaml:8: report.mail.port 465 is SMTPS (TLS from the first byte): set tls: tls, or use port 587 for STARTTLS",
		"port: 465\n    tls: none":     "c.yaml:8: report.mail.port 465 is SMTPS (TLS from the first byte): set tls: tls",
		"port: 587\n    tls: tls":      "c.yaml:8: report.mail.port 587 starts in plain text (STARTTLS): set tls: starttls, or use port 465 for tls: tls",
		"port: 25\n    tls: tls":       "c.yaml:8: report.mail.port 25 starts in plain text (STARTTLS): set tls: starttls",
		"port: 465\n    tls: tls":      "",
		"tls: tls":                     "",
		"port: 2525\n    tls: tls":     "",
		"port: 587\n    tls: none":     "",
		"port: 465\n    tls: starttls": "c.yaml:8: report.mail.port 465 is SMTPS",
		"port: 70000":                  "c.yaml:8: report.mail.port 70000 is out of range: a port is 1 to 65535: write 587",
		"port: -25\n    tls: tls":      "c.yaml:8: report.mail.port -25 is out of range",
	} {
		raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nreport:\n  mail:\n" +
			"    host: smtp.example.com\n    " + mail + "\n    from: r@example.com\n    to: [m@example.com]\n"
		_, err := config.Parse("c.yaml", []byte(raw), env(nil))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if (want == "") != !strings.Contains(got, "report.mail.port") || want != "" && !strings.Contains(got, want) {
			t.Errorf("%q:\ngot  %v\nwant %q", mail, err, want)
		}
	}
}
