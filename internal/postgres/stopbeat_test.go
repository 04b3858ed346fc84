package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestAStoppedInstanceIsNotLeftListed: an instance stopped while a
// heartbeat was on its way to a busy server stayed listed, "seen 1s ago",
// for up to 30 s after its process had gone (CI saw syncd status name the
// only instance, stopped with SIGTERM, as running). The stop cancelled the
// beat, but the server does not learn of a client giving up a statement:
// it ran the beat's INSERT after the stop's DELETE had committed on
// another connection. The stop now lets the beat in flight end first.
// A trigger holds each beat 1.5 s on the server, the stop comes during it.
// pgx follows a cancelled statement with a cancel request, which the
// server ignores when it comes before the statement has begun (a busy
// server, as in CI); the trigger stands for that by going on 0.5 s after
// the request.
func TestAStoppedInstanceIsNotLeftListed(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	db := openDSN(t, dsn)
	ctx := context.Background()
	beating, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan struct{})
	go func() { db.Heartbeat(beating, "127.0.0.1:1", "1.0.0", noSettings); close(done) }()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	count := func() int {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM instances`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	waitFor(t, "the first beat", func() bool { return count() == 1 })
	if _, err := conn.Exec(ctx, `CREATE FUNCTION slow_beat() RETURNS trigger LANGUAGE plpgsql AS
		$$ BEGIN
			BEGIN PERFORM pg_sleep(1.5); EXCEPTION WHEN query_canceled THEN PERFORM pg_sleep(0.5); END;
			RETURN NEW;
		END $$;
		CREATE TRIGGER slow_beat BEFORE INSERT ON instances FOR EACH ROW EXECUTE FUNCTION slow_beat()`); err != nil {
		t.Fatal(err)
	}
	sleeping := func() bool {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event = 'PgSleep'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n > 0
	}
	waitFor(t, "a beat held on the server", sleeping)
	stop()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the heartbeat did not end within 20 s of its stop")
	}
	waitFor(t, "the beat's statement to end", func() bool { return !sleeping() })
	time.Sleep(200 * time.Millisecond) // its commit, after the sleep
	if n := count(); n != 0 {
		t.Fatalf("%d instance(s) listed after the only one stopped, want none", n)
	}
}
