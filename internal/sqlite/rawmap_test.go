package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestRecordMappingsRollsBackAFailedBatch: the mapper's write runs on the
// driver's connection past database/sql; a statement that fails in the
// middle of a batch leaves nothing of the batch written, and the writer
// (its gate and its connection) is free for the next write. A trigger
// makes the second event's first operation fail.
func TestRecordMappingsRollsBackAFailedBatch(t *testing.T) {
	ctx := context.Background()
	db := mapOpenDB(t)
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	first, second := mapInsertEvent(t, db, "eaf", t0), mapInsertEvent(t, db, "eaf", t0.Add(time.Second))
	if _, err := db.w.ExecContext(ctx, `CREATE TRIGGER boom BEFORE INSERT ON outbox WHEN NEW.key = 'boom@example.com'
		BEGIN SELECT RAISE(ABORT, 'boom'); END`); err != nil {
		t.Fatal(err)
	}
	boom := mapOps(second, "B")
	boom[0].Key = "boom@example.com"
	ms := []syncd.Mapping{
		{EventID: first, State: syncd.MapMapped, Ops: mapOps(first, "A")},
		{EventID: second, State: syncd.MapMapped, Ops: boom},
	}
	if _, err := db.RecordMappings(ctx, ms); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("RecordMappings with a failing operation: %v, want the trigger's error", err)
	}
	if got := count(t, db, `SELECT count(*) FROM outbox`); got != 0 {
		t.Errorf("%d operations left by the failed batch, want 0", got)
	}
	if got := count(t, db, `SELECT count(*) FROM events WHERE map_state <> 'pending'`); got != 0 {
		t.Errorf("%d events marked by the failed batch, want 0", got)
	}
	ms[1].Ops = mapOps(second, "B")
	done := make(chan error, 1)
	go func() { _, err := db.RecordMappings(ctx, ms); done <- err }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the write after a failed batch did not finish in 10 s: the writer was left held")
	}
	if got := count(t, db, `SELECT count(*) FROM events WHERE map_state = 'mapped'`); got != 2 {
		t.Errorf("%d events mapped after the second try, want 2", got)
	}
}

// TestWriterConnectionsFinalizeTheirStatements: the statements the mapper
// prepares on a writer connection are finalized when the connection
// closes; SQLite would otherwise keep the closed connection, and the
// database file, open for the rest of the process.
func TestWriterConnectionsFinalizeTheirStatements(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "syncd.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ev := mapInsertEvent(t, db, "eaf", time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC))
	if _, err := db.RecordMappings(ctx, []syncd.Mapping{{EventID: ev, State: syncd.MapMapped, Ops: mapOps(ev, "A")}}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	for _, fd := range fds {
		if to, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name())); err == nil && strings.HasPrefix(to, path) {
			t.Errorf("after Close the process still has %s open", to)
		}
	}
}
