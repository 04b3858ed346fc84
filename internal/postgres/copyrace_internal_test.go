package postgres

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestCopyBesideARunningInstance: an instance started on the new database
// before syncd migrate-store, still running, stored a lead between the
// copy's check that the database holds no events and its writing them:
// the copy failed, "write events: ERROR: duplicate key value violates
// unique constraint "events_pkey"", the lead holding the id the copy
// brought. The copy now locks the tables it checks and writes first, so
// such a lead waits for the copy and is stored after it, past its ids.
// The race is held open by copyChecked: the lead is sent there, and the
// copy goes on once it is stored or waits for a lock.
func TestCopyBesideARunningInstance(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := sqliteWithALead(t)
	dst, inst := copyTargetAndInstance(t) // inst: the instance started too early
	in := inst.NewIntake(IntakeOptions{})
	ictx, stop := context.WithCancel(ctx)
	ran := make(chan struct{})
	go func() { in.Run(ictx); close(ran) }()
	defer func() { stop(); <-ran }()

	type stored struct {
		rec syncd.Receipt
		err error
	}
	done := make(chan stored, 1)
	dst.copyChecked = func() {
		go func() {
			rec, err := in.Store(ctx, lead("during-the-copy"))
			done <- stored{rec, err}
		}()
		waitStoredOrLocked(t, inst, done)
	}
	counts, err := dst.CopyFrom(ctx, src.Reader())
	if err != nil {
		t.Fatalf("copy beside a running instance: %v", err)
	}
	if counts["events"] != 1 {
		t.Fatalf("copied %d events, want 1", counts["events"])
	}
	var got stored
	select {
	case got = <-done:
	case <-time.After(time.Minute):
		t.Fatal("the instance's lead was never stored")
	}
	if got.err != nil || got.rec.Outcome != syncd.Accepted || got.rec.ID <= 1 {
		t.Fatalf("the instance's lead: %+v %v, want accepted past the copied id 1", got.rec, got.err)
	}
	var n int
	if err := dst.pool.QueryRow(ctx, `SELECT count(*) FROM events`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d events (%v), want the copied one and the instance's", n, err)
	}
}

// TestCopyAfterAnInstanceTookALead: a lead an instance started too early
// stored before the copy is found by the copy's check: the copy is
// refused, saying what the database holds and when to start instances.
func TestCopyAfterAnInstanceTookALead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := sqliteWithALead(t)
	dst, err := Open(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	in := dst.NewIntake(IntakeOptions{})
	ictx, stop := context.WithCancel(ctx)
	ran := make(chan struct{})
	go func() { in.Run(ictx); close(ran) }()
	rec, err := in.Store(ctx, lead("before-the-copy"))
	stop()
	<-ran
	if err != nil || rec.Outcome != syncd.Accepted {
		t.Fatalf("store: %+v %v", rec, err)
	}
	_, err = dst.CopyFrom(ctx, src.Reader())
	if syncd.ErrorCode(err) != syncd.EInvalid || !strings.Contains(err.Error(), "already holds events (1): copy into an empty one") ||
		!strings.Contains(err.Error(), "start the instances only once the copy is made") {
		t.Fatalf("copy into a database holding a lead: %v", err)
	}
}

// waitStoredOrLocked waits until the lead sent to done is stored (done is
// refilled for the caller) or a session of the database waits for a lock.
func waitStoredOrLocked[T any](t *testing.T, db *DB, done chan T) {
	t.Helper()
	ctx := context.Background()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		select {
		case v := <-done:
			done <- v
			return
		default:
		}
		var waiting int
		if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
			t.Error(err)
			return
		}
		if waiting > 0 {
			return
		}
	}
	t.Error("the lead was neither stored nor waiting for a lock within a minute")
}

// sqliteWithALead is a SQLite store holding one lead, with id 1.
func sqliteWithALead(t *testing.T) *sqlite.DB {
	t.Helper()
	ctx := context.Background()
	src, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	in := src.NewIntake(sqlite.IntakeOptions{})
	ictx, stop := context.WithCancel(ctx)
	ran := make(chan struct{})
	go func() { in.Run(ictx); close(ran) }()
	defer func() { stop(); <-ran }()
	if rec, err := in.Store(ctx, lead("copied")); err != nil || rec.ID != 1 {
		t.Fatalf("sqlite: %+v %v", rec, err)
	}
	return src
}

// lead is a Lokalebasen lead with idempotency key key.
func lead(key string) syncd.Incoming {
	return syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created", Key: key,
		Body: []byte(`{"k":"` + key + `"}`), Parse: syncd.ParseStrict}
}

// TestCopyKeepsARunningInstancesSettings: the copy replaced every state
// row, those an instance running on the database (started before the
// copy, to try it) keeps of its settings too, which its heartbeat writes
// only when they change: syncd status could no longer tell that its
// settings differ from another's. The copy replaces the installation's
// rows and leaves the instances' own.
func TestCopyKeepsARunningInstancesSettings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := sqliteWithALead(t)
	dst, inst := copyTargetAndInstance(t)
	hctx, stop := context.WithCancel(ctx)
	ran := make(chan struct{})
	go func() { inst.Heartbeat(hctx, "127.0.0.1:8080", "test", func() string { return "digest" }); close(ran) }()
	defer func() { stop(); <-ran }()
	settings := func() int {
		var n int
		if err := dst.pool.QueryRow(ctx, `SELECT count(*) FROM state WHERE starts_with(name, $1)`, settingsState).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for deadline := time.Now().Add(time.Minute); settings() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the instance recorded no settings within a minute")
		}
	}
	if _, err := dst.CopyFrom(ctx, src.Reader()); err != nil {
		t.Fatal(err)
	}
	if n := settings(); n != 1 {
		t.Fatalf("%d settings rows of the running instance after the copy, want its 1", n)
	}
}

// copyTargetAndInstance opens a new PostgreSQL database twice: dst, which
// the copy writes, and inst, an instance running on the same database
// (started before the copy, as an operator trying it does).
func copyTargetAndInstance(t *testing.T) (dst, inst *DB) {
	t.Helper()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	dst, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dst.Close() })
	inst, err = Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { inst.Close() })
	return dst, inst
}
