package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestErasureWhoseRowTheCopyHoldsIsNotUndone: a plain cp copy of a
// restored backup, taken seconds after its first start made an erasure
// again, put back after another erasure: the erasure log beside it records
// that erasure, which the copy lacks, so it is taken for a backup taken at
// the newest thing it holds: the row of the erasure made again. That
// erasure's log entry is nanoseconds newer than its own row (the audit
// keeps microseconds), so status said "ERASURE UNDONE" of it and the first
// start tried to make it again and logged it undone. The database holds
// its row: it is in it. Deterministic: the database's clock is set, the
// log's times written.
func TestErasureWhoseRowTheCopyHoldsIsNotUndone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := &config.Config{DataDir: t.TempDir(), Store: config.Store{Kind: config.StoreSQLite}}
	db, err := sqlite.Open(ctx, cfg.DBPath(), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	first := time.Date(2026, 12, 7, 18, 23, 50, 637055000, time.UTC) // the person's lead, before the backup
	again := time.Date(2026, 12, 7, 18, 23, 52, 779660322, time.UTC) // the erasure made again at the first start
	after := again.Add(time.Second)                                  // an erasure on the original after the copy
	db.Now = func() time.Time { return again }
	s, err := newSubject(cfg, "anna@example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	s.ID = auditID(cfg, s, "anna@example.com")
	pd, err := db.PersonData(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Erase(ctx, s, pd, ""); err != nil {
		t.Fatal(err)
	}
	path := erasureLogPath(cfg)
	salt, err := newErasureLog(path)
	if err != nil {
		t.Fatal(err)
	}
	other, err := newSubject(cfg, "bo@example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []erasureEntry{
		{At: again, Email: keyedHashes(salt, s.KeysOf(syncd.KeyEmail)), First: first, Again: true, OnRestore: again.Add(-time.Second)},
		{At: after, Email: keyedHashes(salt, other.KeysOf(syncd.KeyEmail)), First: first},
	} {
		if err := appendErasure(path, e); err != nil {
			t.Fatal(err)
		}
	}
	taken, err := db.MarkOlderCopy(ctx, first, "the erasure log beside it records an erasure that the database lacks")
	if err != nil || !taken.Equal(again.Truncate(time.Microsecond)) {
		t.Fatalf("taken for a backup taken at %v (%v); want the erasure's row, %v", taken, err, again.Truncate(time.Microsecond))
	}

	r, err := restoreFindings(ctx, cfg, db)
	if err != nil || r == nil {
		t.Fatalf("restore findings: %+v, %v", r, err)
	}
	if len(r.Undone) != 1 || !r.Undone[0].Equal(after) {
		t.Errorf("status's undone erasures: %v; want only the one after the copy (%v), not the one whose row it holds (%v)", r.Undone, after, again)
	}
	var logged bytes.Buffer
	if err := eraseAgain(ctx, cfg, db, taken, time.Time{}, zerolog.New(&logged)); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(logged.String(), "undone by the restore"); n != 1 {
		t.Errorf("the first start logged %d erasures undone; want 1, the one after the copy:\n%s", n, logged.String())
	}
}
