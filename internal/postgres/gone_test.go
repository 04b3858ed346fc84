package postgres_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestInstancesTellsGoneAndLeaderBySessions: an instance that records
// the lock its sessions hold is gone as soon as no session holds it,
// however fresh its row, and leads the parts whose lock one of its
// sessions holds, whatever its row records; an instance that records
// none (an older syncd) is told by its row alone.
func TestInstancesTellsGoneAndLeaderBySessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	const key = 4242424242
	for _, q := range []string{
		`INSERT INTO instances (id, host, pid, started_at, seen_at, leads) VALUES
			('marked', 'a', 1, now(), now(), 'report'), ('older', 'b', 2, now(), now(), '')`,
		`INSERT INTO state (name, value, updated_at) VALUES ('` + postgres.SessionsState + `marked', '` + strconv.Itoa(key) + `', now())`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	read := func() map[string]syncd.Instance {
		t.Helper()
		ins, err := db.Instances(ctx, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]syncd.Instance{}
		for _, in := range ins {
			out[in.ID] = in
		}
		return out
	}
	if ins := read(); !ins["marked"].Gone || ins["older"].Gone || len(ins["marked"].Leads) > 0 {
		t.Fatalf("no session holds the marked instance's lock: %+v, want it gone and leading nothing, the older one not gone", ins)
	}

	// A session of the marked instance, leading the sync: its row still says report.
	leader, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`SELECT pg_advisory_lock_shared($1)`, `SELECT pg_advisory_lock($1)`} {
		k := int64(key)
		if q == `SELECT pg_advisory_lock($1)` {
			k = postgres.LockKey("sync")
		}
		if _, err := leader.Exec(ctx, q, k); err != nil {
			t.Fatal(err)
		}
	}
	if ins := read(); ins["marked"].Gone || !slices.Equal(ins["marked"].Leads, []string{"sync"}) {
		t.Fatalf("a session holds the marked instance's lock and the sync's: %+v, want it running, leading sync", ins["marked"])
	}
	leader.Close(ctx) // the process killed: the server ends its session
	waitFor(t, "the marked instance gone", func() bool { return read()["marked"].Gone })
	if ins := read(); len(ins["marked"].Leads) > 0 || ins["older"].Gone {
		t.Fatalf("after the marked instance's session ended: %+v", ins)
	}
}

// TestServingInstanceMarksItsSessions: an instance opened to serve marks
// its pool's sessions and its leads': it is not gone while it runs, and
// is named leader of what it leads.
func TestServingInstanceMarksItsSessions(t *testing.T) {
	t.Parallel()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	dsn := pgtest.DSN(t)
	srv, err := postgres.OpenWith(ctx, dsn, postgres.Options{Name: "serve", Serving: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	done := make(chan struct{}, 2)
	go func() { srv.Heartbeat(ctx, "127.0.0.1:1", "test", func() string { return "" }); done <- struct{}{} }()
	go func() {
		srv.Lead(ctx, "sync", func(ctx context.Context) error { <-ctx.Done(); return nil })
		done <- struct{}{}
	}()
	defer func() { stop(); <-done; <-done }()
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	waitFor(t, "the instance seen leading sync", func() bool {
		ins, err := db.Instances(ctx, time.Minute)
		return err == nil && len(ins) == 1 && slices.Equal(ins[0].Leads, []string{"sync"})
	})
	for range 5 {
		ins, err := db.Instances(ctx, time.Minute)
		if err != nil || len(ins) != 1 || ins[0].Gone {
			t.Fatalf("a running instance: %+v, %v; want it not gone", ins, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
