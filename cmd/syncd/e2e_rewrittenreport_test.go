package main_test

import (
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// TestRewrittenReportDoesNotPassForTheLatest: erase (and the purge, with a
// report.keep_days longer than the retention) makes an older day's
// workbook again; its record took the time it was made again, so syncd
// status (and the daemon's last-report gauge, read from the database at
// start; on PostgreSQL every status) named that older day as the last
// report, made just now: a daily report failing since would pass for one
// made. The record keeps when the day's report was first made.
func TestRewrittenReportDoesNotPassForTheLatest(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "report:\n  time_zone: UTC\n")
	old := time.Now().UTC().AddDate(0, 0, -3)
	storeOldLeads(t, dir, e2eJane, old)
	latest := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	syncdOK(t, "report", "-config", config, "-date", old.Format(time.DateOnly))
	syncdOK(t, "report", "-config", config, "-date", latest)
	lastReport := regexp.MustCompile(`(?m)^last report .*, of (\S+)`)
	status := func() string {
		out, _, _ := syncdRun(t, "status", "-config", config) // no daemon: exit 5, from the database
		m := lastReport.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("status has no last report line:\n%s", out)
		}
		return m[1]
	}
	if day := status(); day != latest {
		t.Fatalf("before the erase, status names the report of %s; want %s", day, latest)
	}
	out := syncdOK(t, "erase", "-config", config, "-email", e2eJane.email)
	if want := "report rewritten: " + filepath.Join(dir, "data", "reports", "leads-"+old.Format(time.DateOnly)+".xlsx"); !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(out) {
		t.Fatalf("erase did not rewrite the older day's workbook:\n%s", out)
	}
	if day := status(); day != latest {
		t.Errorf("after the erase rewrote the report of %s, status names it as the last report; want %s's", day, latest)
	}
}
