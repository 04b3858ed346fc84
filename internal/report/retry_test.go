package report_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestSchedulerRetriesAFailedRun: the 06:00 run cannot write the reports
// directory (a full disk, say; here its path runs through a regular file,
// which fails for root too, where file modes would not). Once the
// directory can be written the day's report is made, after
// Options.RetryAfter, not at the next day's run: the scheduler used to
// wait for its next tick, so the managers got no report that day.
func TestSchedulerRetriesAFailedRun(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	blocked := filepath.Join(t.TempDir(), "blocked")
	if err := os.WriteFile(blocked, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 30, 6, 0, 30, 0, loc) // the run for 29 March is due
	s, err := report.NewScheduler("0 6 * * *", 7, report.Options{Store: db, Dir: filepath.Join(blocked, "reports"),
		Location: loc, Now: func() time.Time { return now }, RetryAfter: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.Run(runCtx) }()
	defer func() { cancel(); <-done }()
	made := func() bool {
		recs, err := db.Reports(ctx, "2026-03-29")
		return err == nil && len(recs) == 1
	}
	time.Sleep(300 * time.Millisecond) // a few failed tries
	if made() {
		t.Fatal("report recorded while its directory could not be written")
	}
	if err := os.Remove(blocked); err != nil { // room again
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); !made(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the day's report was not made once its directory could be written")
		}
	}
	if _, err := os.Stat(filepath.Join(blocked, "reports", "leads-2026-03-29.xlsx")); err != nil {
		t.Fatal(err)
	}
}
