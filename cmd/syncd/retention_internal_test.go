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
	old := func(key string) int64 { // an ignored event received 100 days ago
		r, err := in.Store(ctx, syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Type: "feed_import", Key: key,
			Body: []byte(`{"name":"Jane Erasmus"}`), Parse: syncd.ParseStrict, ReceivedAt: now.AddDate(0, 0, -100)})
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
	store := observedStore{DB: db, m: metrics.New("test"), afterReport: p.afterReport}
	made := func() {
		if err := store.RecordReport(ctx, report.Record{Day: now.Format(time.DateOnly), Path: "x.xlsx"}); err != nil {
			t.Fatal(err)
		}
	}

	first := old("eaf:1")
	made()
	if kept(first) {
		t.Fatal("the report's run did not purge a 100-day-old body")
	}
	second := old("eaf:2")
	now = now.Add(time.Hour)
	made() // a catch-up report the same day: no second purge
	if !kept(second) {
		t.Fatal("purged twice in one day")
	}
	now = now.Add(24 * time.Hour)
	made()
	if kept(second) {
		t.Fatal("the next day's report did not purge")
	}
}
