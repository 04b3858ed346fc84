package staterow_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/storeapi/staterow"
)

// TestIntakeRunsJoinWhatEveryInstanceRan: two instances sharing a store
// record their runs, each every minute from its start: where either ran
// the intake was up, a restart of a minute is no gap, and the time
// neither ran stays one; runs ended over 400 days before the latest are
// dropped, so the row stays small.
func TestIntakeRunsJoinWhatEveryInstanceRan(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)
	h := func(n float64) time.Time { return at.Add(time.Duration(n * float64(time.Hour))) }
	record := func(from, to time.Time) {
		t.Helper()
		for m := from; !m.After(to); m = m.Add(time.Minute) {
			if err := staterow.RecordIntakeRun(ctx, db, from, m); err != nil {
				t.Fatal(err)
			}
		}
	}
	record(h(-500*24), h(-500*24+1))    // long gone
	record(h(0), h(2))                  // instance a
	record(h(1), h(5))                  // instance b, meanwhile
	record(h(5).Add(time.Minute), h(6)) // b restarted
	record(h(9), h(10))                 // a, after neither ran
	runs, err := staterow.IntakeRuns(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	want := []staterow.Run{{From: h(0), To: h(6)}, {From: h(9), To: h(10)}}
	if len(runs) != len(want) {
		t.Fatalf("runs %+v, want %+v", runs, want)
	}
	for i := range want {
		if !runs[i].From.Equal(want[i].From) || !runs[i].To.Equal(want[i].To) {
			t.Errorf("run %d: %+v, want %+v", i, runs[i], want[i])
		}
	}
}
