package config_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// reportConfig is a valid configuration with the report: section given.
func reportConfig(t *testing.T, report string) string {
	t.Helper()
	maps, _ := filepath.Abs("../../mappings/hubspot")
	return "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nmapping:\n  dir: " + maps +
		"\nreport:\n" + report
}

// problems loads raw and returns its problems, one a line.
func problems(t *testing.T, raw string) string {
	t.Helper()
	_, err := config.Parse("c.yaml", []byte(raw), env(nil))
	if err == nil {
		t.Fatalf("no problem in:\n%s", raw)
	}
	return err.Error()
}

// TestMisspeltTimeZoneIsNamed: a report.time_zone no zone has was refused
// with Go's words alone ("unknown time zone Europe/Copenhagn"); the zone
// meant is now named, and a name right but for its case is said to be so.
func TestMisspeltTimeZoneIsNamed(t *testing.T) {
	for zone, want := range map[string]string{
		"Europe/Copenhagn":  `c.yaml:8: report.time_zone "Europe/Copenhagn" is not a time zone: did you mean Europe/Copenhagen?`,
		"Europe/Kopenhagen": `c.yaml:8: report.time_zone "Europe/Kopenhagen" is not a time zone: did you mean Europe/Copenhagen?`,
		"europe/copenhagen": `c.yaml:8: report.time_zone "europe/copenhagen" is not a time zone: the names are case-sensitive: write Europe/Copenhagen`,
		"america/new_york":  `the names are case-sensitive: write America/New_York`,
		"Copenhagen":        `a zone is named by region and city: write Europe/Copenhagen`,
		"Mars/Olympus":      `"Mars/Olympus" is not a time zone: write an IANA zone name, as Europe/Copenhagen or UTC`,
	} {
		got := problems(t, reportConfig(t, "  time_zone: "+zone+"\n"))
		if !strings.Contains(got, want) {
			t.Errorf("time_zone %s:\n%s\nwant %q", zone, got, want)
		}
	}
}

// TestBadScheduleNamesFieldAndLine: a report.schedule robfig/cron refuses
// was said in its words ("end of range (60) above maximum (59): 60"); it
// is now said at the schedule's line, naming the field, with an example.
func TestBadScheduleNamesFieldAndLine(t *testing.T) {
	got := problems(t, reportConfig(t, "  time_zone: UTC\n  schedule: \"0 25 * * *\"\n"))
	want := `c.yaml:9: report.schedule "0 25 * * *": the hour field (field 2 of 5: minute, hour, day of month, month, day of week), "25", is not an hour: write 0-23`
	if !strings.Contains(got, want) || !strings.Contains(got, `"0 6 * * *" is 06:00 every day`) {
		t.Errorf("%s\nwant %q and an example", got, want)
	}
	got = problems(t, reportConfig(t, "  schedule: \"0 0 6 * * *\"\n"))
	if want := `c.yaml:8: report.schedule "0 0 6 * * *" has 6 fields, where a schedule has 5`; !strings.Contains(got, want) {
		t.Errorf("%s\nwant %q", got, want)
	}
	// robfig/cron takes "6,*" and runs it every hour: syncd validate passed
	// it, and the report went out 24 times a day.
	got = problems(t, reportConfig(t, "  time_zone: UTC\n  schedule: \"0 6,* * * *\"\n"))
	if want := `c.yaml:9: report.schedule "0 6,* * * *": the hour field (field 2 of 5: minute, hour, day of month, month, day of week), "6,*" lists * (every hour) with other values, which then mean nothing: cron would run it every hour`; !strings.Contains(got, want) {
		t.Errorf("%s\nwant %q", got, want)
	}
}

// TestBadMailAddressQuotedAtItsLine: a report.mail address that is not one
// was named by its place counted from from: ("address 2") at the line of
// mail:; it is now quoted, at its own line in a to: list.
func TestBadMailAddressQuotedAtItsLine(t *testing.T) {
	got := problems(t, reportConfig(t, `  mail:
    host: smtp.example.com
    from: "Leads <reports@example.com>"
    to:
      - manager@example.com
      - sales@example,com
      - a@example.com, b@example.com
      - sales at example.com
      - Hansen, Søren <soren@example.com>
`))
	for _, want := range []string{
		`c.yaml:13: report.mail.to "sales@example,com" is not an email address: write name@example.com or "Name <name@example.com>"`,
		`c.yaml:14: report.mail.to "a@example.com, b@example.com" is more than one address: put each in an entry of its own`,
		`c.yaml:15: report.mail.to "sales at example.com" is not an email address: it has no @`,
		// a surname first: told to write "Name <name@example.com>", which is what was written
		`c.yaml:16: report.mail.to "Hansen, Søren <soren@example.com>" is not an email address: a name holding a comma, ` +
			`semicolon or colon must be in double quotes, else its first part reads as an address of its own: ` +
			`write "Hansen, Søren" <soren@example.com> (in YAML, within single quotes: '"Hansen, Søren" <soren@example.com>')`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("%s\nwant %q", got, want)
		}
	}
	if strings.Contains(got, "manager@example.com") || strings.Contains(got, "address 2") {
		t.Errorf("a good address said, or one counted:\n%s", got)
	}
	// written as told, the name quoted within single quotes: no problem
	raw := reportConfig(t, "  mail:\n    host: smtp.example.com\n    from: reports@example.com\n"+
		"    to: ['\"Hansen, Søren\" <soren@example.com>']\n")
	if c, err := config.Parse("c.yaml", []byte(raw), env(nil)); err != nil || len(c.Report.Mail.To) != 1 {
		t.Errorf("the address written as told: %v\n%s", err, raw)
	}
	got = problems(t, reportConfig(t, "  mail:\n    host: smtp.example.com\n    from: reports.example.com\n    to: [m@example.com]\n"))
	if want := `c.yaml:10: report.mail.from "reports.example.com" is not an email address: it has no @`; !strings.Contains(got, want) {
		t.Errorf("%s\nwant %q", got, want)
	}
}
