package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestValidateReadsNoFinishedOperation: syncd validate (postgres.Check)
// counted the outbox's operations by state with a read of every one, the
// finished ones of the whole retention too: some seconds on a large
// outbox, against validate's 5 s to read the database, past which it says
// the database cannot be reached. It reads the depths as /metrics does:
// the pending and dead through their indexes, the done counted as they
// change (migration 0018). The rows it reads of the outbox are counted in
// the server's statistics, which a session gives once it ends.
func TestValidateReadsNoFinishedOperation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, q := range []string{
		`INSERT INTO events (id, source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
		SELECT g, 'eaf', 'eaf', 'email_lead', 'eaf:' || g, '{}', 'strict', now(), now(), 'mapped' FROM generate_series(1, 10015) g`,
		`INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash, mapping_file, mapping_hash,
			state, next_attempt_at, created_at, updated_at)
		SELECT g, 'hubspot', k.kind, k.kind || g, '', '{}', 'h', 'eaf.yaml', 'h',
			CASE WHEN g <= 10000 THEN 'done' WHEN g <= 10010 THEN 'pending' ELSE 'dead' END, now(), now(), now()
		FROM generate_series(1, 10015) g, (VALUES ('contact'), ('deal')) k(kind)`,
		`VACUUM ANALYZE outbox`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	// rowsRead is how many rows of the outbox the sessions that ended have
	// read, once every other session of the database has ended.
	rowsRead := func() int64 {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			var others int
			if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&others); err != nil {
				t.Fatal(err)
			}
			if others == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d other sessions on the database after 30 s", others)
			}
		}
		time.Sleep(200 * time.Millisecond) // a session's last statistics, given as it ends
		var n int64
		if _, err := conn.Exec(ctx, `SELECT pg_stat_clear_snapshot()`); err != nil {
			t.Fatal(err)
		}
		if err := conn.QueryRow(ctx, `SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)
			FROM pg_stat_user_tables WHERE relid = 'outbox'::regclass`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := rowsRead()
	found, err := postgres.Check(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if ds := found.Outbox; len(ds) != 1 || ds[0].Target != "hubspot" || ds[0].Done != 20000 || ds[0].Pending != 20 || ds[0].Dead != 10 {
		t.Fatalf("depths %+v; want hubspot's 20000 done, 20 pending, 10 dead", ds)
	}
	if read := rowsRead() - before; read > 1000 {
		t.Errorf("validate read %d rows of an outbox of 20,030 operations, 30 of them not finished", read)
	}
}
