package main_test

import (
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestReportsAfterTheMailStoppedAreTheLast: the agency's reports were
// mailed until the operator removed report.mail.to; the days after it are
// made without mail, as the daemon makes them now. `syncd status` speaks
// of the latest one as the last report. Before, the last one mailed stayed
// the last report whatever was made after it: "last report ..., of" the
// day the mail stopped, and syncd_last_report_timestamp_seconds, read
// alike, set off the alert on no report for 26 hours every day.
func TestReportsAfterTheMailStoppedAreTheLast(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	smtp := mailtest.Start(t, "", "")
	dir := t.TempDir()
	zone := "report:\n  time_zone: Europe/Copenhagen\n"
	config := writeConfigWith(t, dir, zone+mailTo(smtp.Host, smtp.Port))
	makeDB(t, dir)
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	day := func(d int) string { return time.Now().In(loc).AddDate(0, 0, d).Format(time.DateOnly) }
	report := func(args ...string) {
		t.Helper()
		if _, stderr, code := syncdRun(t, append([]string{"report", "-config", config}, args...)...); code != 0 {
			t.Fatalf("syncd report %v: exit %d\n%s", args, code, stderr)
		}
	}
	report("-date", day(-3), "-mail")
	config = writeConfigWith(t, dir, zone) // the agency stops mailing
	report("-date", day(-2))
	report("-date", day(-1))
	stdout, stderr, _ := syncdRun(t, "status", "-config", config)
	line := ""
	for _, l := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(l, "last report") {
			line = l
		}
	}
	if !strings.Contains(line, "of "+day(-1)) {
		t.Errorf("status after reports made without mail: %q; want the last report of %s\n%s\n%s", line, day(-1), stdout, stderr)
	}
}
