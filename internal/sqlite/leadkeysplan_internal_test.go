package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
)

// TestRekeyingFindsEachEventByItsID: migration 0020 rekeys the leads an
// older syncd keyed by their body's hash 500 to a statement (UPDATE …
// FROM VALUES), each found by its id. Without more, SQLite's planner read
// the whole events table for each statement once the statement held some
// hundreds of them (the VALUES' rows looked up in an index it built), so
// that the step's time grew as the square of the table's size
// (BenchmarkLeadKeysMigration: 10% of 200,000 events 2.6 s, of 100,000
// 0.97 s). Each statement's plan, as SQLite gives it for the statement
// and arguments the step ran, must look events up by id, never scan it.
func TestRekeyingFindsEachEventByItsID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// 10,000 events, one in 10 written "Email_Lead", keyed by its body's
	// hash, ignored: 1,000 to rekey, in two statements
	if _, err := db.w.ExecContext(ctx, `WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 10000)
		INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state, map_error)
		SELECT 'eaf', 'eaf', 'email_lead', CASE WHEN i % 10 = 0 THEN 'sha256:' || i ELSE 'eaf:' || i END,
			CAST('{"eaf_type":"' || CASE WHEN i % 10 = 0 THEN 'Email_Lead' ELSE 'email_lead' END || '","eaf_id":"' || i || '"}' AS BLOB),
			'strict', '2026-12-01T00:00:00.000000Z', '2026-12-01T00:00:00.000000Z',
			CASE WHEN i % 10 = 0 THEN 'ignored' ELSE 'mapped' END, ''
		FROM g`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	q, updates := txQuery(tx), 0
	plans := func(ctx context.Context, query string, fn func(storesql.Rows) error, args ...any) error {
		if strings.HasPrefix(query, "UPDATE events SET idem_key") {
			updates++
			var plan []string
			if err := q(ctx, "EXPLAIN QUERY PLAN "+query, func(r storesql.Rows) error {
				var id, parent, unused int
				var detail string
				if err := r.Scan(&id, &parent, &unused, &detail); err != nil {
					return err
				}
				plan = append(plan, detail)
				return nil
			}, args...); err != nil {
				return err
			}
			for _, p := range plan {
				if strings.HasPrefix(p, "SCAN events") {
					t.Errorf("the rekeying statement %d reads the whole events table:\n%s", updates, strings.Join(plan, "\n"))
				}
			}
		}
		return q(ctx, query, fn, args...)
	}
	rekeyed, err := storesql.KeyByDeliveryID(ctx, storesql.SQLite, plans)
	if err != nil || len(rekeyed) != 1000 || updates != 2 {
		t.Fatalf("rekeyed %d in %d statements: %v; want 1000 in 2", len(rekeyed), updates, err)
	}
}
