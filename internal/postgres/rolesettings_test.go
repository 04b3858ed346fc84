package postgres_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// setOnDatabase sets a server setting for every new session on dsn's
// database (ALTER DATABASE ... SET), as a DBA sets one on syncd's role or
// database: the tests' cluster is shared, so the database, not the role.
func setOnDatabase(t *testing.T, dsn, setting, value string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	name := pgx.Identifier{conn.Config().Database}.Sanitize()
	if _, err := conn.Exec(ctx, `ALTER DATABASE `+name+` SET `+setting+` = '`+value+`'`); err != nil {
		t.Fatal(err)
	}
}

// TestMigrationWaitOutlastsTheRolesStatementTimeout: a DBA's
// statement_timeout (or lock_timeout) on syncd's role or database, a common
// guard on a shared or managed server, cancelled an instance's wait for
// another's migration ("migrate: canceling statement due to statement
// timeout", exit 1 at every start while the upgrade ran), as it cancels a
// migration that builds an index on a large table at every restart. The
// migration and its wait are syncd's own work that must finish: they run
// without either bound; the role's bounds hold for everything else.
func TestMigrationWaitOutlastsTheRolesStatementTimeout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	holder, err := pgx.Connect(ctx, dsn) // another instance, migrating
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close(ctx)
	const migrateLock = 0x73796e6364 // the package's migration lock
	if _, err := holder.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
		t.Fatal(err)
	}
	setOnDatabase(t, dsn, "statement_timeout", "250ms")
	setOnDatabase(t, dsn, "lock_timeout", "250ms")

	waiting := make(chan struct{}, 2)
	opened := make(chan error, 1)
	go func() {
		db, err := postgres.OpenWith(ctx, dsn, postgres.Options{Migrating: func(s string) {
			if s == "waiting for another instance to migrate the database schema" {
				waiting <- struct{}{}
			}
		}})
		if err == nil {
			db.Close()
		}
		opened <- err
	}()
	// Released once the open has waited for it eight times the timeouts.
	deadline := time.After(60 * time.Second)
	for waited := false; !waited; {
		select {
		case err := <-opened:
			t.Fatalf("open returned while another instance still migrated: %v", err)
		case <-deadline:
			t.Fatal("timed out waiting for the open to wait for the migration lock")
		case <-time.After(50 * time.Millisecond):
		}
		err := holder.QueryRow(ctx, `SELECT count(*) = 1 FROM pg_stat_activity WHERE datname = current_database()
			AND wait_event_type = 'Lock' AND wait_event = 'advisory' AND clock_timestamp() - query_start > interval '2 seconds'`).
			Scan(&waited)
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := holder.Exec(ctx, `SELECT pg_advisory_unlock($1)`, migrateLock); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-opened:
		if err != nil {
			t.Fatalf("open after waiting for another instance's migration: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("open did not return once the migration lock was released")
	}
	if len(waiting) == 0 {
		t.Fatal("the open never said it waited for another instance")
	}
}

// TestListenOutlastsTheRolesIdleSessionTimeout: an idle_session_timeout
// set on syncd's role or database (a DBA ending forgotten sessions) ended
// each instance's LISTEN session, idle by nature, every few seconds: the
// log said "listen: FATAL: terminating connection due to idle-session
// timeout" at error level for as long as it ran, and a nudge sent while
// it reconnected went unheard until then. The session lifts the bound for
// itself, as the leaders' sessions set their own.
func TestListenOutlastsTheRolesIdleSessionTimeout(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dsn := pgtest.DSN(t)
	setOnDatabase(t, dsn, "idle_session_timeout", "300ms")
	db := openDSN(t, dsn)
	errs := make(chan error, 100)
	db.OnError = func(err error) { errs <- err }
	var nudged atomic.Int32
	go db.Listen(ctx, map[string]func(){postgres.ChannelEvents: func() { nudged.Add(1) }})
	waitFor(t, "listening", func() bool { return nudged.Load() >= 1 })
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `SET idle_session_timeout = 0`); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the LISTEN session idle for ten times the timeout", func() bool {
		select {
		case err := <-errs:
			t.Fatalf("listen reported %v", err)
		default:
		}
		var idle bool
		err := admin.QueryRow(ctx, `SELECT count(*) = 1 FROM pg_stat_activity WHERE datname = current_database()
			AND query LIKE 'LISTEN %' AND state = 'idle' AND clock_timestamp() - state_change > interval '3 seconds'`).Scan(&idle)
		return err == nil && idle
	})
	select {
	case err := <-errs:
		t.Fatalf("listen reported %v", err)
	default:
	}
	before := nudged.Load()
	if _, err := admin.Exec(ctx, `SELECT pg_notify($1, '')`, postgres.ChannelEvents); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the nudge heard", func() bool { return nudged.Load() > before })
}
