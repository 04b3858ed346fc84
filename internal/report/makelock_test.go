package report_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// readThenWait gives the report the leads as the store has them, then
// waits for release before the workbook is written: the daemon's daily
// report, which read the day before an erase committed.
type readThenWait struct {
	report.Store
	read, release chan struct{}
}

func (s readThenWait) EachLead(ctx context.Context, from, to time.Time, crm string, fn func(*report.LeadRow) error) error {
	err := s.Store.EachLead(ctx, from, to, crm, fn)
	close(s.read)
	<-s.release
	return err
}

// erased is the store after the erase: the day's leads are gone.
type erased struct{ report.Store }

func (erased) EachLead(context.Context, time.Time, time.Time, string, func(*report.LeadRow) error) error {
	return nil
}

// TestWorkbookMadeAgainIsNotOverwrittenByOneMadeBefore: erase makes the
// day's workbook again once the person is gone from the database, beside
// the daemon; a report the daemon was making meanwhile, from leads it had
// read before the erase, was renamed over it, and the workbook listed the
// person again. A workbook is now made under the reports directory's lock,
// so the one made last from the database is the one left.
func TestWorkbookMadeAgainIsNotOverwrittenByOneMadeBefore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	fill0329(t, db, loc)
	dir := t.TempDir()
	day := report.Day{Year: 2026, Month: 3, Day: 29}
	now := func() time.Time { return time.Date(2026, 3, 30, 6, 0, 0, 0, loc) }
	daily := readThenWait{Store: db, read: make(chan struct{}), release: make(chan struct{})}
	dailyDone := make(chan error, 1)
	go func() {
		_, err := report.Make(ctx, day, report.Options{Store: daily, Dir: dir, Location: loc, Now: now})
		dailyDone <- err
	}()
	<-daily.read
	againDone := make(chan error, 1)
	go func() {
		_, err := report.Make(ctx, day, report.Options{Store: erased{db}, Dir: dir, Location: loc, Now: now, Again: true})
		againDone <- err
	}()
	// Made without the lock, the erase's workbook is written at once;
	// under it, it waits for the daily one. Give it the time to be written
	// either way, then let the daily report write its own.
	var againErr error
	waited := false
	select {
	case againErr = <-againDone:
	case <-time.After(2 * time.Second):
		waited = true
	}
	close(daily.release)
	if err := <-dailyDone; err != nil {
		t.Fatal(err)
	}
	if waited {
		againErr = <-againDone
	}
	if againErr != nil {
		t.Fatal(againErr)
	}
	f := openBook(t, filepath.Join(dir, day.FileName()))
	for _, row := range rows(t, f, "Leads")[1:] {
		if slices.Contains(row, "angela7913@hotmail.com") {
			t.Fatalf("the workbook made again after the erase was overwritten by the daily one read before it: %q", row)
		}
	}
}
