package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestCheckpointBesideAReaderLetsWritesThrough: the checkpoint after a
// purge or an erase truncates the WAL, which must wait for every reader
// of an older snapshot (Litestream's read lock, an operator's sqlite3
// shell, syncd backup's copy). It waited in SQLite's busy handler, 5 s
// at a time, blocking every writer meanwhile: each delivery took 5 s to
// answer for as long as the reader stayed, up to about eight minutes. It
// waits with writers let through, and truncates once the reader is done.
func TestCheckpointBesideAReaderLetsWritesThrough(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "syncd.db")
	db, err := sqlite.Open(ctx, path, sqlite.Options{Daemon: true, DeferSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetStateValue(ctx, "test", "before the reader"); err != nil {
		t.Fatal(err)
	}

	// Another process's reader, on the snapshot before the next write.
	reader, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	rtx, err := reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := rtx.QueryRow(`SELECT count(*) FROM state`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if err := db.SetStateValue(ctx, "test", "after the reader"); err != nil {
		t.Fatal(err)
	}

	done := make(chan error, 1)
	cctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	go func() { done <- db.Checkpoint(cctx) }()

	// Writes while the checkpoint waits for the reader: none waits for it.
	var slowest time.Duration
	for i := range 5 {
		start := time.Now()
		if err := db.SetStateValue(ctx, "test", fmt.Sprint("write ", i)); err != nil {
			t.Fatalf("write %d while the checkpoint waits: %v", i, err)
		}
		slowest = max(slowest, time.Since(start))
		select {
		case err := <-done:
			t.Fatalf("the checkpoint ended (%v) while a reader held an older snapshot", err)
		case <-time.After(200 * time.Millisecond):
		}
	}
	if slowest > 2*time.Second {
		t.Errorf("a write waited %s for the checkpoint waiting for a reader", slowest.Round(time.Millisecond))
	}

	// The reader done, the checkpoint truncates the WAL.
	if err := rtx.Rollback(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("checkpoint once the reader was done: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the checkpoint did not end once the reader was done")
	}
	if st, err := os.Stat(path + "-wal"); err != nil || st.Size() != 0 {
		t.Errorf("the WAL after the checkpoint: %v, %v", st, err)
	}
}
