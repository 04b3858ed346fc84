package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestMailPortOutOfRangeIsRefusedWithoutRecipients: report.mail.port: -1
// (or 70000) was checked only when report.mail.to was set, so a mail
// section waiting for its recipients loaded with a port that is none, to
// fail when they were added. A port is 1 to 65535 whatever else is set.
func TestMailPortOutOfRangeIsRefusedWithoutRecipients(t *testing.T) {
	for _, c := range []struct{ mail, want string }{
		{"host: smtp.example.com\n    port: -1", "c.yaml:8: report.mail.port -1 is out of range: a port is 1 to 65535"},
		{"port: 70000", "c.yaml:7: report.mail.port 70000 is out of range: a port is 1 to 65535"},
		{"host: smtp.example.com\n    port: 70000\n    from: r@example.com", "c.yaml:8: report.mail.port 70000 is out of range"},
		{"host: smtp.example.com\n    port: 2525", ""},
	} {
		raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nreport:\n  mail:\n    " + c.mail + "\nmapping: {dir: ../../mappings/hubspot}\n"
		_, err := config.Parse("c.yaml", []byte(raw), env(nil))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%q: %v", c.mail, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%q:\ngot  %v\nwant %q", c.mail, err, c.want)
		}
	}
}

// TestMailHostWithAPortOrBracketsIsRefused: report.mail.host:
// smtp.example.com:587 loaded, and every mail then went to
// "[smtp.example.com:587]:587", which no resolver knows; an IPv6 address
// in brackets ([::1]) the same. The host is the name or address alone,
// the port its own key.
func TestMailHostWithAPortOrBracketsIsRefused(t *testing.T) {
	for host, want := range map[string]string{
		"smtp.example.com:587":  "c.yaml:7: report.mail.host smtp.example.com:587 has a port in it: write host: smtp.example.com and port: 587",
		"\"[::1]:2525\"":        "c.yaml:7: report.mail.host [::1]:2525 has a port in it: write host: ::1 and port: 2525",
		"\"[::1]\"":             "c.yaml:7: report.mail.host [::1] is written in brackets: write host: ::1",
		"\"[::1\"":              "c.yaml:7: report.mail.host [::1 is written in brackets: write host: ::1",
		"smtp.example.com:smtp": "c.yaml:7: report.mail.host smtp.example.com:smtp has a port in it: write host: smtp.example.com and port: 25",
		"smtp.example.com":      "",
		"\"::1\"":               "",
		"127.0.0.1":             "",
	} {
		raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nreport:\n  mail:\n" +
			"    host: " + host + "\n    port: 2525\n    tls: none\n    from: r@example.com\n    to: [m@example.com]\nmapping: {dir: ../../mappings/hubspot}\n"
		_, err := config.Parse("c.yaml", []byte(raw), env(nil))
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: %v", host, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%s:\ngot  %v\nwant %q", host, err, want)
		}
	}
}

// TestMailHostIsCheckedWithoutRecipients: a report.mail section waiting
// for its recipients (no to:) loaded with host: smtp.example.com:587, a
// host written as a URL or in brackets, and validate said ok; the same
// section with to: was refused. The section is the one used the day a
// recipient is added: its host is checked as it would be then.
func TestMailHostIsCheckedWithoutRecipients(t *testing.T) {
	for host, want := range map[string]string{
		"smtp.example.com:587":                  "c.yaml:7: report.mail.host smtp.example.com:587 has a port in it: write host: smtp.example.com and port: 587",
		"\"[::1]\"":                             "c.yaml:7: report.mail.host [::1] is written in brackets: write host: ::1",
		"smtp://u:secret@smtp.example.com:587/": "c.yaml:7: report.mail.host smtp.example.com:587 is written with more than the server's name",
		"smtp.example.com":                      "",
	} {
		for _, to := range []string{"", "\n    to: [m@example.com]"} {
			raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nreport:\n  mail:\n" +
				"    host: " + host + "\n    from: r@example.com" + to + "\nmapping: {dir: ../../mappings/hubspot}\n"
			_, err := config.Parse("c.yaml", []byte(raw), env(nil))
			switch {
			case want == "" && err != nil:
				t.Errorf("%s (to: %t): %v", host, to != "", err)
			case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
				t.Errorf("%s (to: %t):\ngot  %v\nwant %q", host, to != "", err, want)
			case err != nil && strings.Contains(err.Error(), "secret"):
				t.Errorf("%s: the password is said: %v", host, err)
			}
		}
	}
}

// TestMailSettingsAreCheckedWithoutRecipients: a report.mail section
// waiting for its recipients (no to:) loaded with tls: startls, an
// unreadable ca_file, a from that is no address or port 465 with
// starttls, and validate said ok; the same
// section was refused the day to: was added. Each is checked as it would
// be then; a from left empty stays fine without to: (nothing is sent).
func TestMailSettingsAreCheckedWithoutRecipients(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "relay.pem")
	notPEM := filepath.Join(t.TempDir(), "relay.der")
	if err := os.WriteFile(notPEM, []byte{0x30, 0x82, 0x01}, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ mail, want string }{
		{"tls: startls\n    from: r@example.com", `c.yaml:8: report.mail.tls "startls" is not starttls, opportunistic, tls or none`},
		{"from: r@example.com\n    ca_file: " + missing, "c.yaml:9: report.mail.ca_file: open " + missing + ": no such file or directory"},
		{"from: r@example.com\n    ca_file: " + notPEM, "c.yaml:9: report.mail.ca_file " + notPEM + " holds no PEM certificate"},
		{"from: reports.example.com", `c.yaml:8: report.mail.from "reports.example.com" is not an email address: it has no @`},
		{"from: r@example.com\n    port: 465", "c.yaml:9: report.mail.port 465 is SMTPS (TLS from the first byte): set tls: tls"},
		{"tls: tls\n    port: 465", ""}, // no from: nothing is sent without to:
		{"from: r@example.com", ""},
	} {
		for _, to := range []string{"", "\n    to: [m@example.com]"} {
			raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nreport:\n  mail:\n" +
				"    host: smtp.example.com\n    " + c.mail + to + "\nmapping: {dir: ../../mappings/hubspot}\n"
			_, err := config.Parse("c.yaml", []byte(raw), env(nil))
			switch {
			case c.want == "" && to == "" && err != nil:
				t.Errorf("%q (no to:): %v", c.mail, err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("%q (to: %t):\ngot  %v\nwant %q", c.mail, to != "", err, c.want)
			}
		}
	}
}
