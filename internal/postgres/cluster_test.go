package postgres_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

func openDSN(t *testing.T, dsn string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestLeadOneAtATimeAndTakeOver: of two instances one leads; when the
// leader's session dies (as with kill -9 or a partition) the other takes
// over within seconds.
func TestLeadOneAtATimeAndTakeOver(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	a, b := openDSN(t, dsn), openDSN(t, dsn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var running, maxRunning atomic.Int32
	var ran [2]atomic.Int32
	part := func(i int) func(context.Context) error {
		return func(ctx context.Context) error {
			n := running.Add(1)
			if n > maxRunning.Load() {
				maxRunning.Store(n)
			}
			ran[i].Add(1)
			<-ctx.Done()
			running.Add(-1)
			return nil
		}
	}
	go a.Lead(ctx, "report", part(0))
	waitFor(t, "a leads", func() bool { return ran[0].Load() == 1 })
	go b.Lead(ctx, "report", part(1))
	time.Sleep(3 * time.Second)
	if ran[1].Load() != 0 || len(b.Leads()) != 0 || len(a.Leads()) != 1 {
		t.Fatalf("b led while a leads (a %v, b %v)", a.Leads(), b.Leads())
	}
	// Kill a's lock session from outside, as a dead host would lose it
	// (its database's only: other tests, run beside this one, hold
	// advisory locks in theirs, migrating).
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "b takes over", func() bool { return ran[1].Load() == 1 })
	waitFor(t, "a stops", func() bool { return len(a.Leads()) == 0 })
	if maxRunning.Load() > 1 {
		t.Fatalf("%d leaders at once", maxRunning.Load())
	}
	// A one-off run does not start beside the leader, and does when none leads.
	ran2 := false
	if led, err := a.TryLead(ctx, "report", func(context.Context) error { ran2 = true; return nil }); led || ran2 || err != nil {
		t.Fatalf("TryLead beside the leader = %v, ran %v, %v", led, ran2, err)
	}
	if led, err := a.TryLead(ctx, "other", func(context.Context) error { ran2 = true; return nil }); !led || !ran2 || err != nil {
		t.Fatalf("TryLead of a free part = %v, ran %v, %v", led, ran2, err)
	}
}

// TestListenNudgesOtherInstances: an event stored and operations enqueued
// on one instance nudge the mapper and syncer of another.
func TestListenNudgesOtherInstances(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	a, b := openDSN(t, dsn), openDSN(t, dsn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var events, outbox atomic.Int32
	go b.Listen(ctx, map[string]func(){
		postgres.ChannelEvents: func() { events.Add(1) },
		postgres.ChannelOutbox: func() { outbox.Add(1) },
	})
	waitFor(t, "listening", func() bool { return events.Load() == 1 && outbox.Load() == 1 })
	in := a.NewIntake(postgres.IntakeOptions{})
	go in.Run(ctx)
	rec, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "k", Body: []byte("{}"),
		Parse: syncd.ParseStrict})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "events nudge", func() bool { return events.Load() == 2 })
	ops := []syncd.Op{{Target: "hubspot", Kind: syncd.RecordContact, Key: "a@example.com", MappingFile: "f", MappingHash: "h"}}
	if _, err := a.RecordMapping(ctx, rec.ID, syncd.MapMapped, "", ops); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "outbox nudge", func() bool { return outbox.Load() == 2 })
}

// TestHeartbeatShowsInstancesAndLeaders: syncd status's cluster view.
func TestHeartbeatShowsInstancesAndLeaders(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	a, b := openDSN(t, dsn), openDSN(t, dsn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go a.Lead(ctx, "sync", func(ctx context.Context) error { <-ctx.Done(); return nil })
	waitFor(t, "a leads", func() bool { return len(a.Leads()) == 1 })
	go a.Heartbeat(ctx, "127.0.0.1:1", "1.0.0", noSettings)
	hb, stopB := context.WithCancel(ctx)
	go b.Heartbeat(hb, "127.0.0.1:2", "1.0.0", noSettings)
	var got []syncd.Instance
	waitFor(t, "two instances", func() bool {
		got, _ = a.Instances(ctx, time.Minute)
		return len(got) == 2
	})
	leaders := 0
	for _, in := range got {
		if len(in.Leads) == 1 && in.Leads[0] == "sync" && in.Listen == "127.0.0.1:1" {
			leaders++
		}
	}
	if leaders != 1 {
		t.Fatalf("instances = %+v", got)
	}
	stopB()
	waitFor(t, "b gone", func() bool { got, _ = a.Instances(ctx, time.Minute); return len(got) == 1 })
}

// TestHeartbeatRecordsVersions: during a rolling upgrade syncd status
// could not tell which hosts ran the newer syncd. Each heartbeat records
// the syncd version and the newest schema its binary knows; an instance
// still on an older syncd, whose heartbeat names neither, goes on beside
// it with both left unknown.
func TestHeartbeatRecordsVersions(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	db := openDSN(t, dsn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go db.Heartbeat(ctx, "127.0.0.1:1", "1.4.0", noSettings)
	_, schema := db.Migrated()
	// The older syncd's heartbeat, word for word.
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	now := time.Now().UTC()
	if _, err := conn.Exec(ctx, `INSERT INTO instances (id, host, pid, listen, started_at, seen_at, leads)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at, leads = excluded.leads`,
		"old:1:x", "old", 1, "127.0.0.1:2", now.Add(-time.Hour), now, "sync"); err != nil {
		t.Fatalf("an older syncd's heartbeat after the migration: %v", err)
	}
	var got []syncd.Instance
	waitFor(t, "two instances", func() bool { got, _ = db.Instances(ctx, time.Minute); return len(got) == 2 })
	if old, cur := got[0], got[1]; old.Version != "" || old.Schema != 0 || cur.Version != "1.4.0" || cur.Schema != schema || schema < 7 {
		t.Fatalf("instances = %+v, want the older one unknown and this one 1.4.0 on schema %d", got, schema)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestOlderInstanceNoticesANewerSchema: during a rolling upgrade an
// instance still on the older syncd went on without a word after another
// migrated the database, though it would not start again once restarted.
// Its heartbeat notices the newer schema and says so, once.
func TestOlderInstanceNoticesANewerSchema(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	old := openDSN(t, dsn)
	var mu sync.Mutex
	var said []string
	old.OnError = func(err error) { mu.Lock(); said = append(said, err.Error()); mu.Unlock() }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go old.Heartbeat(ctx, "127.0.0.1:1", "1.0.0", noSettings)
	from, to := old.Migrated()
	conn, err := pgx.Connect(ctx, dsn) // the newer syncd's migration
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, to+1); err != nil {
		t.Fatal(err)
	}
	count := func() (n int, text string) {
		mu.Lock()
		defer mu.Unlock()
		for _, s := range said {
			if strings.Contains(s, "is newer than this binary's") {
				n, text = n+1, s
			}
		}
		return n, text
	}
	waitFor(t, "the newer schema noticed", func() bool { n, _ := count(); return n > 0 })
	time.Sleep(5 * time.Second) // two more heartbeats
	if n, text := count(); n != 1 || !strings.Contains(text, "install the newer syncd") {
		t.Fatalf("said %d times (%q) after migrating %d -> %d, want once", n, text, from, to)
	}
}
