package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportMailWithoutRecipientsMakesTheWorkbook: syncd report -mail on
// a configuration without report.mail.to exited 2 without the workbook,
// though status and the docs give report -date DAY -mail to make a missed
// day. It makes the workbook, as the daemon does without mail, prints its
// path and says that nothing was mailed, exit 0.
func TestReportMailWithoutRecipientsMakesTheWorkbook(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := writeConfig(t, dir)
	makeDB(t, dir)
	out, stderr, code := syncdRun(t, "report", "-mail", "-date", "yesterday", "-config", file)
	path := strings.TrimSpace(out)
	if _, err := os.Stat(path); code != 0 || err != nil || filepath.Dir(path) != filepath.Join(dir, "data", "reports") ||
		!strings.Contains(stderr, "syncd report: -mail: nothing mailed: no recipients configured (report.mail.to)") {
		t.Errorf("report -mail without recipients: exit %d (%v)\n%s%s", code, err, out, stderr)
	}
}
