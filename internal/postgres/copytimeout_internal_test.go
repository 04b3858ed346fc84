package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestCopyOutlastsTheRolesTimeouts: a statement_timeout or lock_timeout
// set on syncd's role or database (a DBA's guard) cancelled syncd
// migrate-store, which waits for the tables an instance started too early
// is writing, and copies each table in one statement however large the
// SQLite store: "canceling statement due to lock timeout", nothing
// copied. Its transaction runs without either bound, as without
// idle_in_transaction_session_timeout already.
func TestCopyOutlastsTheRolesTimeouts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := sqliteWithALead(t)
	dsn := pgtest.DSN(t)
	holder, err := pgx.Connect(ctx, dsn) // an instance's transaction, writing state
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close(ctx)
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	name := pgx.Identifier{admin.Config().Database}.Sanitize()
	if _, err := admin.Exec(ctx, `ALTER DATABASE `+name+` SET statement_timeout = '250ms'; `+
		`ALTER DATABASE `+name+` SET lock_timeout = '250ms'`); err != nil {
		t.Fatal(err)
	}
	dst, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	tx, err := holder.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `LOCK TABLE state IN ROW EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	copied := make(chan error, 1)
	go func() {
		counts, err := dst.CopyFrom(ctx, src.Reader())
		if err == nil && counts["events"] != 1 {
			t.Errorf("copied %d events, want 1", counts["events"])
		}
		copied <- err
	}()
	deadline := time.After(60 * time.Second)
	for waited := false; !waited; {
		select {
		case err := <-copied:
			t.Fatalf("the copy returned while an instance's transaction held a table: %v", err)
		case <-deadline:
			t.Fatal("timed out waiting for the copy to wait for the table")
		case <-time.After(50 * time.Millisecond):
		}
		err := admin.QueryRow(ctx, `SELECT count(*) = 1 FROM pg_stat_activity WHERE datname = current_database()
			AND wait_event_type = 'Lock' AND clock_timestamp() - query_start > interval '2 seconds'`).Scan(&waited)
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-copied:
		if err != nil {
			t.Fatalf("copy once the instance's transaction ended: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the copy did not end once the table was free")
	}
}
