package main_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestReportByHandOfAnOldDaySaysTheNextReportDeletesIt: `syncd report
// -date` of a day older than report.keep_days printed the workbook's path,
// exit 0, and said nothing more; the next report made (the next morning's
// at the latest) deleted it, and the manager it was made for found it gone.
// It says so, and how to keep it; of a day within keep_days, or with -out,
// it says nothing of it.
func TestReportByHandOfAnOldDaySaysTheNextReportDeletesIt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "report:\n  keep_days: 30\n")
	makeDB(t, dir)
	today := time.Now().In(mustZone(t, "Europe/Copenhagen"))
	old := today.AddDate(0, 0, -40).Format(time.DateOnly)
	recent := today.AddDate(0, 0, -3).Format(time.DateOnly)
	note := "leads-" + old + ".xlsx is of a day older than report.keep_days (30 days): the next report deletes it"
	stdout, stderr, code := syncdRun(t, "report", "-config", config, "-date", old)
	if code != 0 || !strings.Contains(stderr, note) || !strings.Contains(stderr, "copy it elsewhere, or make it with -out FILE") {
		t.Errorf("report of a day past keep_days: exit %d, %q%q; want 0 and %q", code, stdout, stderr, note)
	}
	for _, args := range [][]string{
		{"-date", recent},
		{"-date", old, "-out", filepath.Join(dir, "old.xlsx")},
	} {
		stdout, stderr, code := syncdRun(t, append([]string{"report", "-config", config}, args...)...)
		if code != 0 || strings.Contains(stderr, "keep_days") {
			t.Errorf("report %q: exit %d, %q%q; want 0 and no word of keep_days", args, code, stdout, stderr)
		}
	}
}
