package main_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestReportsByHandLeaveTheLastReport: yesterday's report was made and
// mailed; the operator then mails by hand a look at today, not over yet,
// and an older day's report. `syncd status` still speaks of yesterday's
// as the last report, made when it was made. Before, either one became the
// last report: "last report (0s ago), of <today>" or "of <the older day>",
// and syncd_last_report_timestamp_seconds, read alike, took its time,
// holding off the alert on no report for 26 hours while the day's own
// report may never be made.
func TestReportsByHandLeaveTheLastReport(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	smtp := mailtest.Start(t, "", "")
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "report:\n  time_zone: Europe/Copenhagen\n"+mailTo(smtp.Host, smtp.Port))
	makeDB(t, dir)
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(loc)
	day := func(d int) string { return today.AddDate(0, 0, d).Format(time.DateOnly) }
	report := func(date string) {
		t.Helper()
		if _, stderr, code := syncdRun(t, "report", "-config", config, "-date", date, "-mail"); code != 0 {
			t.Fatalf("syncd report -date %s -mail: exit %d\n%s", date, code, stderr)
		}
	}
	// when it was made and of which day, without its age ("(3s ago)")
	lastReport := regexp.MustCompile(`(?m)^last report +(.*) \([^)]*ago\)(.*)$`)
	status := func() string {
		t.Helper()
		stdout, stderr, _ := syncdRun(t, "status", "-config", config)
		m := lastReport.FindStringSubmatch(stdout)
		if m == nil {
			t.Fatalf("no last report line in status:\n%s\n%s", stdout, stderr)
		}
		return m[1] + m[2]
	}
	report(day(-1))
	yesterdays := status()
	if !strings.HasSuffix(yesterdays, "of "+day(-1)+", mailed") {
		t.Fatalf("status after yesterday's report: last report %s", yesterdays)
	}
	report(day(0))
	report(day(-6))
	if got := status(); got != yesterdays && time.Now().In(loc).Format(time.DateOnly) == day(0) {
		t.Errorf("status after reports of today and of %s by hand: last report %s; want yesterday's still: %s", day(-6), got, yesterdays)
	}
	if n := len(smtp.Messages()); n != 3 {
		t.Errorf("%d mails sent; want the 3 asked for", n)
	}
}
