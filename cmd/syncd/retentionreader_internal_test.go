package main

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestDailyPurgeBesideAReaderIsDone: Litestream (docs/backup.md) keeps a
// read open on the database, and the WAL cannot be truncated meanwhile.
// The daily purge purged, then failed on that checkpoint: it logged an
// error, left the erasure log, the backups and the workbooks, and never
// recorded the day's purge, so from 36 hours on the backstop ran it every
// hour, saying no report was recorded. The purge is done: it says the WAL
// keeps what it dropped until a later checkpoint, carries on, and is not
// run again that day.
func TestDailyPurgeBesideAReaderIsDone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "syncd.db")
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := &purgeFixture{b: &backend{store: db}, in: db.NewIntake(sqlite.IntakeOptions{})}
	db.Now = f.now
	f.start(t)
	const day = 24 * time.Hour
	old := f.stored(t, "eaf:1", 100*day)

	reader, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	rtx, err := reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rtx.Rollback()
	var n int
	if err := rtx.QueryRow(`SELECT count(*) FROM events`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	f.stored(t, "eaf:2", time.Hour) // a write after the reader's snapshot: the WAL is needed by it

	var log bytes.Buffer
	reports := 0
	p := &purger{db: f.b, keep: retentionOf(config.Retention{EventDays: 90}, 0), log: zerolog.New(&log), now: f.now,
		reports: func(context.Context, []time.Time) ([]string, []string, error) { reports++; return nil, nil, nil }}
	p.afterReport(ctx)
	if f.kept(t, old) {
		t.Fatal("the event past the retention is kept")
	}
	out := log.String()
	if strings.Contains(out, `"level":"error"`) || !strings.Contains(out, "the write-ahead log keeps what it dropped") {
		t.Errorf("the purge beside a reader logged:\n%s", out)
	}
	if reports != 1 {
		t.Errorf("the reports directory was looked at %d times after the purge, want 1", reports)
	}
	if p.last == "" {
		t.Error("the day's purge is not recorded as done: the backstop would run it every hour")
	}
}
