package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestOutboxWritesNeedNoGrantOfTheirCount: a role running syncd on
// tables another owns, granted them before migration 0018 made
// outbox_done (no ALTER DEFAULT PRIVILEGES; an instance of the older
// syncd still running among upgraded ones), writes operations all the
// same: the trigger that counts the done ones writes outbox_done as the
// tables' owner. Without, each write of an operation failed, permission
// denied for table outbox_done.
func TestOutboxWritesNeedNoGrantOfTheirCount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	owner, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	owner.Close()
	role := limitedRole(t, dsn, `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %[1]s;
		GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %[1]s; REVOKE ALL ON outbox_done FROM %[1]s`)
	conn, err := pgx.Connect(ctx, role)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, q := range []string{
		`INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
		SELECT 'eaf', 'eaf', 'email_lead', 'k' || g, '{}', 'strict', now(), now(), 'mapped' FROM generate_series(1, 3) g`,
		`INSERT INTO outbox (event_id, target, kind, key, properties, props_hash, mapping_file, mapping_hash, state,
			next_attempt_at, created_at, updated_at)
		SELECT id, 'hubspot', 'contact', 'c' || id, 'p', 'h', 'eaf.yaml', 'h', 'done', now(), now(), now() FROM events`,
		`UPDATE outbox SET state = 'pending' WHERE key = 'c1'`,
		`DELETE FROM outbox WHERE key = 'c2'`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("as a role not granted outbox_done: %s: %v", q, err)
		}
	}
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if ds, err := db.OutboxDepths(ctx); err != nil || len(ds) != 1 || ds[0].Done != 1 || ds[0].Pending != 1 {
		t.Errorf("depths %+v, %v; want 1 done and 1 pending", ds, err)
	}
}
