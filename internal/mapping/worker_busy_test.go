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
	ctx := context.Background()
	db, path, rules := busyStore(t, 3)
	w := mapping.NewWorker(mapping.WorkerOptions{Store: db, Rules: rules, Log: zerolog.Nop()})

	lock := otherConn(t, path)
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

	// Once the lock is gone, the next pass maps them all.
	if _, err := lock.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatalf("a pass once the lock is gone: %v", err)
	}
	if n := countState(t, db, syncd.MapMapped); n != 3 {
		t.Errorf("%d lead(s) mapped once the lock was gone, want 3 (unmappable: %d)", n, countState(t, db, syncd.MapUnmappable))
	}
}

// TestWorkerSetsNoLeadAsideWhenTheLockComesAndGoes: a database busy on
// the batch's write and on the event's own, free for the write that set
// the event aside and busy again on the event's last try (another process
// writing now and then, holding the lock past the busy timeout each time)
// made a good lead unmappable for ever: any error of the event's own write
// counted as the database refusing it. Only a refusal does now; a busy
// database fails the pass, the lead stays pending, and the next pass maps
// it.
func TestWorkerSetsNoLeadAsideWhenTheLockComesAndGoes(t *testing.T) {
	ctx := context.Background()
	db, path, rules := busyStore(t, 1)
	lock := otherConn(t, path)
	// The lock is held for the writes of mappings numbered in busy.
	flaky := &lockedOn{DB: db, busy: map[int]bool{1: true, 2: true, 4: true}, lock: func(on bool) {
		stmt := "ROLLBACK"
		if on {
			stmt = "BEGIN IMMEDIATE"
		}
		if _, err := lock.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}}
	w := mapping.NewWorker(mapping.WorkerOptions{Store: flaky, Rules: rules, Log: zerolog.Nop()})
	if _, err := w.RunOnce(ctx); err == nil {
		t.Error("a pass with the database busy worked")
	}
	flaky.busy = nil
	flaky.set(false)
	if n := countState(t, db, syncd.MapUnmappable); n != 0 {
		t.Fatalf("%d lead(s) set aside as unmappable while the database was busy now and then", n)
	}
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatalf("a pass once the lock is gone: %v", err)
	}
	if n := countState(t, db, syncd.MapMapped); n != 1 {
		t.Errorf("%d lead(s) mapped once the lock was gone, want 1", n)
	}
}

// lockedOn is the store, with a lock another process holds taken or let
// go (lock) just before each write of mappings, as busy says by the
// write's number from 1; past the last, the lock is let go.
type lockedOn struct {
	*sqlite.DB
	busy   map[int]bool
	lock   func(on bool)
	calls  int
	locked bool
}

func (l *lockedOn) RecordMappings(ctx context.Context, ms []syncd.Mapping) (int, error) {
	l.calls++
	l.set(l.busy[l.calls])
	return l.DB.RecordMappings(ctx, ms)
}

// set takes the lock (on) or lets it go.
func (l *lockedOn) set(on bool) {
	if on != l.locked {
		l.lock(on)
		l.locked = on
	}
}

// busyStore opens a store that waits 50 ms for a lock, with n Estate
// Agent Feeds leads from different people stored, and the HubSpot rules.
func busyStore(t *testing.T, n int) (db *sqlite.DB, path string, rules *mapping.Rules) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "syncd.db")
	db, in := openStoreAt(t, path, sqlite.Options{BusyTimeout: 50 * time.Millisecond})
	for i := range n {
		storeFixture(t, in, syncd.KindEAF, "eaf", fixtures+"/eaf/email_lead.json", func(b []byte) []byte {
			b = bytes.Replace(b, []byte("77722226661727188822717"), []byte(fmt.Sprint(1000+i)), 1)
			return bytes.Replace(b, []byte("support@"), []byte(fmt.Sprintf("p%d@", i)), 1)
		})
	}
	rules, err := mapping.Load("../../mappings/hubspot", "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	return db, path, rules
}

// otherConn is a connection of another process's to the database at
// path, closed at the end.
func otherConn(t *testing.T, path string) *sql.Conn {
	t.Helper()
	other, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func countState(t *testing.T, db *sqlite.DB, st syncd.MapState) int {
	t.Helper()
	evs, err := db.Events(context.Background(), sqlite.EventFilter{MapState: st})
	if err != nil {
		t.Fatal(err)
	}
	return len(evs)
}

// TestWorkerCountsNoLeadOfAFailedPass: a pass whose write fails (here the
// database locked by another process, as a damaged or full one fails it
// too) maps nothing, and the next pass maps the same leads again. Each
// failed try was counted all the same: the worker's minute line said
// "mapped events … mapped: 30" for one lead never recorded. Only a
// recorded batch counts now.
func TestWorkerCountsNoLeadOfAFailedPass(t *testing.T) {
	ctx := context.Background()
	db, path, rules := busyStore(t, 3)
	w := mapping.NewWorker(mapping.WorkerOptions{Store: db, Rules: rules, Log: zerolog.Nop()})
	lock := otherConn(t, path)
	if _, err := lock.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	sum, err := w.RunOnce(ctx)
	if err == nil {
		t.Fatal("a pass with the database locked worked")
	}
	for state, n := range sum.ByState {
		if n != 0 {
			t.Errorf("a failed pass counted %d lead(s) %s", n, state)
		}
	}
	if _, err := lock.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	sum, err = w.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Events != 3 || sum.ByState[syncd.MapMapped] != 3 {
		t.Errorf("the pass once the lock is gone: %d events, %v; want 3 mapped", sum.Events, sum.ByState)
	}
}
