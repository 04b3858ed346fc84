package main_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestStatusSaysAReportOfTodayByHandIsALook: a new install, no mail
// configured; the operator makes today's report by hand to see the
// workbook (syncd report -date TODAY: "report made"). Status said "last
// report never", as if the command had done nothing: a report of a day not
// over is a look at part of it, which is not the last report (the alert on
// no report for 26 hours must still fire if the day's own is never made).
// It says so, and when the day's own comes; once yesterday's is made by
// hand, that is the last report.
func TestStatusSaysAReportOfTodayByHandIsALook(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "report:\n  time_zone: Europe/Copenhagen\n")
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	loc, _ := time.LoadLocation("Europe/Copenhagen")
	day := func(n int) string { return time.Now().In(loc).AddDate(0, 0, n).Format(time.DateOnly) }
	today := day(0)
	if out := syncdOK(t, "report", "-config", config, "-date", today); filepath.Base(strings.TrimSpace(out)) != "leads-"+today+".xlsx" {
		t.Fatalf("report of today: %s", out)
	}
	out, _, _ := syncdRun(t, "status", "-config", config)
	line := lineWith(out, "last report")
	if day(0) == today && (strings.Contains(line, "never") ||
		!strings.Contains(line, "none of a whole day yet; the report of "+today+" made by hand at ") ||
		!strings.Contains(line, "is a look at part of it: the day's own is made once it is over, at report.schedule")) {
		t.Errorf("status after a report of today by hand: %q\n%s", line, out)
	}
	syncdOK(t, "report", "-config", config, "-date", day(-1))
	out, _, _ = syncdRun(t, "status", "-config", config)
	if line := lineWith(out, "last report"); !strings.Contains(line, "ago), of "+day(-1)) || strings.Contains(line, "look") {
		t.Errorf("status after yesterday's report by hand: %q\n%s", line, out)
	}
}
