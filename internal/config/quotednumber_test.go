package config_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestNumberInQuotesIsToldToLoseThem: a port written "587" (in quotes, as
// many configuration files take it) was refused with "report.mail.port is
// a whole number: write digits only", which it is; a switch written
// "true", with "is true or false". Such a value is now told that its
// quotes make it text, and to write it without them; a value that is no
// number in quotes or out of them keeps what the key takes.
func TestNumberInQuotesIsToldToLoseThem(t *testing.T) {
	for value, want := range map[string]string{
		`port: "587"`:        `c.yaml:8: report.mail.port is a whole number, and the quotes around this one make it text: write it without them`,
		`port: '2525'`:       "report.mail.port is a whole number, and the quotes around this one make it text: write it without them",
		`port: "5x7"`:        "report.mail.port is a whole number: write digits only, as 587",
		`port: five-eight-7`: "report.mail.port is a whole number: write digits only, as 587",
	} {
		raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nreport:\n  mail:\n" +
			"    host: smtp.example.com\n    " + value + "\n    from: r@example.com\n    to: [m@example.com]\n"
		_, err := config.Parse("c.yaml", []byte(raw), env(nil))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s:\ngot  %v\nwant %q", value, err, want)
		}
	}
	for value, want := range map[string]string{
		`journald: "true"`:  "log.journald is true or false, and the quotes around this one make it text: write it without them",
		`journald: 'False'`: "log.journald is true or false, and the quotes around this one make it text",
		`journald: "sure"`:  "log.journald is true or false",
	} {
		raw := "log:\n  " + value + "\nsources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\n"
		_, err := config.Parse("c.yaml", []byte(raw), env(nil))
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(value, "sure") && strings.Contains(err.Error(), "quotes") {
			t.Errorf("%s:\ngot  %v\nwant %q", value, err, want)
		}
	}
}
