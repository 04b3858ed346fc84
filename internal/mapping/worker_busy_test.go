package mapping_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestWorkerSetsNoLeadAsideWhileTheDatabaseIsBusy: a batch whose write
// fails is written again one event at a time, and an event the database
// refuses alone is set aside as unmappable; a database that takes no
// write at all (here another process holds SQLite's write lock past the
// busy timeout, as a backup or a stuck sqlite3 shell does) must not make
// good leads unmappable. The pass fails, the leads stay pending, and once
// the lock is gone they are mapped.
func TestWorkerSetsNoLeadAsideWhileTheDatabaseIsBusy(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	path := filepath.Join(t.TempDir(), "syncd.db")
	db, err := sqlite.Open(ctx, path, sqlite.Options{BusyTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	in := db.NewIntake(sqlite.IntakeOptions{})
	done := make(chan struct{})
	go func() { in.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done; db.Close() })
	for i := range 3 {
		storeFixture(t, in, syncd.KindEAF, "eaf", fixtures+"/eaf/email_lead.json", func(b []byte) []byte {
			b = bytes.Replace(b, []byte("77722226661727188822717"), []byte(fmt.Sprint(1000+i)), 1)
			return bytes.Replace(b, []byte("support@"), []byte(fmt.Sprintf("p%d@", i)), 1)
		})
	}
	rules, err := mapping.Load("../../mappings/hubspot", "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	w := mapping.NewWorker(mapping.WorkerOptions{Store: db, Rules: rules, Log: zerolog.Nop()})

	other, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	lock, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.RunOnce(ctx); err == nil {
		t.Fatal("a pass with the database locked worked")
	}
	if n := countState(t, db, syncd.MapUnmappable); n != 0 {
		t.Errorf("%d lead(s) set aside as unmappable while the database was busy", n)
	}
	if n := countState(t, db, syncd.MapPending); n != 3 {
		t.Errorf("%d lead(s) pending while the database was busy, want 3", n)
	}

	// The lock goes between a write the lock failed and the next: right
	// after the first event failed alone. It is no lead the database
	// refuses: the worker sees its set-aside write work, tries the event
	// once more, and maps it.
	released := &releasedAt{DB: db, at: 3, release: func() {
		lock.ExecContext(ctx, "ROLLBACK")
		lock.Close()
	}}
	w = mapping.NewWorker(mapping.WorkerOptions{Store: released, Rules: rules, Log: zerolog.Nop()})
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatalf("a pass during which the lock went: %v", err)
	}
	if n := countState(t, db, syncd.MapMapped); n != 3 {
		t.Errorf("%d lead(s) mapped once the lock was gone, want 3 (unmappable: %d)", n, countState(t, db, syncd.MapUnmappable))
	}
}

// releasedAt is the store, with a lock held by another process released
// just before the at-th write of mappings.
type releasedAt struct {
	*sqlite.DB
	at, calls int
	release   func()
}

func (r *releasedAt) RecordMappings(ctx context.Context, ms []syncd.Mapping) (int, error) {
	if r.calls++; r.calls == r.at {
		r.release()
	}
	return r.DB.RecordMappings(ctx, ms)
}

func countState(t *testing.T, db *sqlite.DB, st syncd.MapState) int {
	t.Helper()
	evs, err := db.Events(context.Background(), sqlite.EventFilter{MapState: st})
	if err != nil {
		t.Fatal(err)
	}
	return len(evs)
}
