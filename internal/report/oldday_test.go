package report_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestReportOfADayPastKeepDaysIsKept: `syncd report -date` of a day older
// than report.keep_days printed the workbook's path and deleted it at once
// (the prune after each report took it), and with -mail failed on the
// missing file, advising to run the same command again, which failed the
// same way. The report just made stays until the next one prunes; older
// ones still go.
func TestReportOfADayPastKeepDaysIsKept(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	dir := t.TempDir()
	stale := filepath.Join(dir, "leads-2025-01-02.xlsx")
	if err := os.WriteFile(stale, []byte("x"), 0o640); err != nil {
		t.Fatal(err)
	}
	srv := mailtest.Start(t, "syncd", "pw")
	now := time.Date(2026, 11, 30, 18, 0, 0, 0, loc)
	path, err := report.Make(ctx, report.Day{Year: 2025, Month: 1, Day: 1}, report.Options{Store: db, Dir: dir,
		Location: loc, Keep: 90, Mailer: mailer(t, srv), MailAttempts: 1, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatalf("report of a day past keep_days: %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the workbook just made is gone: %v", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("%d messages mailed, want 1", n)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("an older report past keep_days was not pruned")
	}
	// The next report's prune takes it.
	if _, err := report.Make(ctx, report.Day{Year: 2026, Month: 11, Day: 29}, report.Options{Store: db, Dir: dir,
		Location: loc, Keep: 90, Now: func() time.Time { return now }}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("the old day's workbook outlived the next report")
	}
}
