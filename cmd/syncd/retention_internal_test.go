package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/metrics"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestDaemonPurgesOnceADayAfterTheReport drives the daemon's store as the
// reporter does, on a controlled clock: recording a report purges what the
// retention no longer keeps, once per day.
func TestDaemonPurgesOnceADayAfterTheReport(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 6, 1, 4, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	in := db.NewIntake(sqlite.IntakeOptions{})
	ictx, stop := context.WithCancel(ctx)
	defer stop()
	go in.Run(ictx)
	stored := func(key string, age time.Duration) int64 { // an ignored event received age ago
		r, err := in.Store(ctx, syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Type: "feed_import", Key: key,
			Body: []byte(`{"name":"Jane Erasmus"}`), Parse: syncd.ParseStrict, ReceivedAt: now.Add(-age)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordMapping(ctx, r.ID, syncd.MapIgnored, "", nil); err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	kept := func(id int64) bool {
		ev, err := db.Event(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return len(ev.Body) > 0
	}
	p := &purger{db: db, keep: retentionOf(config.Retention{EventDays: 90}), log: zerolog.Nop()}
	store := observedStore{store: db, m: metrics.New("test"), afterReport: p.afterReport}
	made := func() {
		if err := store.RecordReport(ctx, report.Record{Day: now.Format(time.DateOnly), Path: "x.xlsx"}); err != nil {
			t.Fatal(err)
		}
	}

	const day = 24 * time.Hour
	first := stored("eaf:1", 100*day)
	second := stored("eaf:2", 90*day-time.Hour) // one hour short of the retention
	made()
	if kept(first) || !kept(second) {
		t.Fatalf("after the report: first kept %v, second kept %v; want only the second", kept(first), kept(second))
	}
	now = now.Add(2 * time.Hour) // the second is old enough now
	made()                       // a catch-up report the same day: no second purge
	if !kept(second) {
		t.Fatal("purged twice in one day")
	}
	now = now.Add(day)
	made()
	if kept(second) {
		t.Fatal("the next day's report did not purge")
	}
}
