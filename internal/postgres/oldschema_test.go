package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/postgres"
)

// upgraded opens dsn, a database at an older schema (postgres.AtSchema),
// as this syncd does, which migrates it to this syncd's schema; the
// test's end closes it.
func upgraded(t *testing.T, dsn string) *postgres.DB {
	t.Helper()
	db, err := postgres.OpenWith(context.Background(), dsn, postgres.Options{ContactKey: mapping.EmailKey})
	if err != nil {
		t.Fatalf("open a database at an older schema: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// oldEvent stores an event of source, kind, type and idempotency key with
// body, received at, in the columns every schema's events have, and its
// key in intake_keys as intake keeps it; it returns the event's id.
func oldEvent(t *testing.T, conn *pgx.Conn, source, kind, typ, key string, body []byte, at time.Time) int64 {
	t.Helper()
	var id int64
	if err := conn.QueryRow(context.Background(), `WITH e AS (
			INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at)
			VALUES ($1, $2, $3, $4, $5, 'strict', $6, $6) RETURNING id)
		INSERT INTO intake_keys (source, idem_key, event_id, received_at) SELECT $1, $4, id, $6 FROM e RETURNING event_id`,
		source, kind, typ, key, body, at).Scan(&id); err != nil {
		t.Fatalf("store an older syncd's event: %v", err)
	}
	return id
}
