package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/sqlite/sqlitetest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// oldAt is when the rows an older syncd stored were written.
const oldAt = "2026-01-01T00:00:00.000000000Z"

// oldSchema gives a test a new database file at schema n, made by
// migrations 1..n alone (sqlitetest.AtSchema), and a connection through
// which to store what a syncd of that schema stored.
func oldSchema(t *testing.T, n int) (string, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "syncd.db")
	return path, sqlitetest.AtSchema(t, path, n)
}

// upgraded closes raw and opens path as this syncd does, which migrates
// it to this syncd's schema; the test's end closes it.
func upgraded(t *testing.T, path string, raw *sql.DB) *sqlite.DB {
	t.Helper()
	raw.Close()
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{ContactKey: mapping.EmailKey})
	if err != nil {
		t.Fatalf("open a database at an older schema: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// oldEvent stores an event of source, kind, type and idempotency key with
// body, received now (within the duplicate window), in the columns every
// schema's events have.
func oldEvent(t *testing.T, raw *sql.DB, source string, kind syncd.Kind, typ, key, body string) int64 {
	t.Helper()
	now := syncd.FormatTime(time.Now())
	res, err := raw.Exec(`INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at)
		VALUES (?, ?, ?, ?, ?, 'strict', ?, ?)`, source, string(kind), typ, key, []byte(body), now, now)
	if err != nil {
		t.Fatalf("store an older syncd's event: %v", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// oldOps queues ops, pending, in the columns every schema's outbox has.
func oldOps(t *testing.T, raw *sql.DB, ops []syncd.Op) {
	t.Helper()
	for _, op := range ops {
		props, err := json.Marshal(op.Properties)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(`INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash,
			mapping_file, mapping_hash, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			op.EventID, op.Target, string(op.Kind), op.Key, op.ContactKey, string(props), "hash of "+op.Key,
			op.MappingFile, op.MappingHash, oldAt, oldAt, oldAt); err != nil {
			t.Fatalf("queue an older syncd's operation: %v", err)
		}
	}
}
