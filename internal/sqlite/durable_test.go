package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// powerCut models what survives a power cut on a database opened with
// DeferSync: at the end of every successful WAL fsync it copies the database
// and WAL files as they are then (what the disk holds); the -shm index is
// left behind, as a reboot loses it. open returns the last copy, opened as
// SQLite opens a database after a power cut (recovering from the WAL).
type powerCut struct {
	t    *testing.T
	db   *DB
	disk string // the copy
	n    int    // fsyncs seen
}

func newPowerCut(t *testing.T) *powerCut {
	dir := t.TempDir()
	db, err := Open(context.Background(), filepath.Join(dir, "syncd.db"), Options{DeferSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	pc := &powerCut{t: t, db: db, disk: t.TempDir()}
	db.wal.synced = pc.copyFiles
	return pc
}

func (pc *powerCut) copyFiles() {
	pc.n++
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(pc.db.Path() + suffix)
		if err != nil {
			pc.t.Error(err)
			return
		}
		if err := os.WriteFile(filepath.Join(pc.disk, "syncd.db"+suffix), b, 0o600); err != nil {
			pc.t.Error(err)
		}
	}
}

// open opens a copy of what the disk held at the last fsync.
func (pc *powerCut) open() *DB {
	pc.t.Helper()
	dir := pc.t.TempDir()
	pc.db.wal.mu.Lock()
	defer pc.db.wal.mu.Unlock()
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(filepath.Join(pc.disk, "syncd.db"+suffix))
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, "syncd.db"+suffix), b, 0o600)
		}
		if err != nil {
			pc.t.Fatal(err)
		}
	}
	db, err := Open(context.Background(), filepath.Join(dir, "syncd.db"), Options{})
	if err != nil {
		pc.t.Fatalf("the database after a power cut does not open: %v", err)
	}
	pc.t.Cleanup(func() { db.Close() })
	return db
}

func count(t *testing.T, db *DB, query string) int {
	t.Helper()
	var n int
	if err := db.r.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPowerCutKeepsAcknowledgedAndRebuildsTheRest stores events through the
// intake of a DeferSync database, records their mapping (not synced) and a
// CRM id (synced), and after each step cuts the power in the model: every
// acknowledged event is there, and the mapping the cut took back is pending
// again, so the mapper makes the same operations again, once.
func TestPowerCutKeepsAcknowledgedAndRebuildsTheRest(t *testing.T) {
	ctx := context.Background()
	pc := newPowerCut(t)
	in := pc.db.NewIntake(IntakeOptions{})
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { in.Run(runCtx); close(done) }()
	defer func() { stop(); <-done }()

	var ids []int64
	for i := range 10 {
		r, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created",
			Key: fmt.Sprintf("k%d", i), Body: []byte(`{}`), Parse: syncd.ParseStrict})
		if err != nil || r.Outcome != syncd.Accepted {
			t.Fatalf("store: %+v %v", r, err)
		}
		ids = append(ids, r.ID)
		// Acknowledged: on disk.
		if n := count(t, pc.open(), fmt.Sprintf(`SELECT count(*) FROM events WHERE id = %d`, r.ID)); n != 1 {
			t.Fatalf("event %d acknowledged but not on disk at the last fsync", r.ID)
		}
	}
	var ms []syncd.Mapping
	for _, id := range ids {
		ops := mapOps(id, "c")
		ops[0].Key, ops[1].Key = fmt.Sprintf("a%d@example.com", id), fmt.Sprintf("eaf:eaf:%d", id)
		ms = append(ms, syncd.Mapping{EventID: id, State: syncd.MapMapped, Ops: ops})
	}
	if _, err := pc.db.RecordMappings(ctx, ms); err != nil {
		t.Fatal(err)
	}
	// The cut takes back the mapping (not synced): the events are pending
	// again, and mapping them again makes each operation once.
	cut := pc.open()
	if n := count(t, cut, `SELECT count(*) FROM events`); n != 10 {
		t.Fatalf("%d events after the cut, want 10", n)
	}
	pending, err := cut.PendingEvents(ctx, 0, 100)
	if err != nil || len(pending) != 10 || count(t, cut, `SELECT count(*) FROM outbox`) != 0 {
		t.Fatalf("after the cut %d events pending, %d ops (%v); want the mapping taken back whole",
			len(pending), count(t, cut, `SELECT count(*) FROM outbox`), err)
	}
	if _, err := cut.RecordMappings(ctx, ms); err != nil {
		t.Fatal(err)
	}
	if n := count(t, cut, `SELECT count(*) FROM outbox`); n != 20 {
		t.Fatalf("re-mapped: %d ops, want 20", n)
	}

	// A CRM id is synced before SetLink returns, and with it every commit
	// before it.
	if err := pc.db.SetLink(ctx, "pipedrive", syncd.RecordContact, "a1@example.com", "42"); err != nil {
		t.Fatal(err)
	}
	cut = pc.open()
	if n := count(t, cut, `SELECT count(*) FROM crm_links WHERE crm_id = '42'`); n != 1 {
		t.Fatal("the CRM id is not on disk after SetLink returned")
	}
	if n := count(t, cut, `SELECT count(*) FROM outbox`); n != 20 {
		t.Fatalf("%d ops on disk after the link's fsync, want 20", n)
	}
}

// TestFailedWALSyncRefusesFromThenOn: after a failed fsync nothing is
// acknowledged any more, and the database is reported not ready.
func TestFailedWALSyncRefusesFromThenOn(t *testing.T) {
	ctx := context.Background()
	pc := newPowerCut(t)
	pc.db.wal.path = filepath.Join(t.TempDir(), "missing-wal")
	in := pc.db.NewIntake(IntakeOptions{})
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { in.Run(runCtx); close(done) }()
	defer func() { stop(); <-done }()
	for i := range 2 {
		_, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "x",
			Key: fmt.Sprint(i), Body: []byte(`{}`), Parse: syncd.ParseStrict})
		if syncd.ErrorCode(err) != syncd.EUnavailable {
			t.Fatalf("store %d after a failed fsync: %v, want unavailable", i, err)
		}
	}
	if err := pc.db.Ping(ctx); err == nil {
		t.Fatal("ping succeeds after a failed fsync")
	}
}
