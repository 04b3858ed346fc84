package postgres

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestPoolCompilesNoStatement: PendingLeft, the count `syncd sync` ends
// with, at 8,000 pending operations (the statistics taken) passes
// PostgreSQL's jit_above_cost, and PostgreSQL compiled it, which took
// longer than running it. The pool's sessions (the daemon's and every
// command's) have JIT off; a session of the server's defaults compiles
// the same statement, so the seed is one JIT would take.
func TestPoolCompilesNoStatement(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, conn := seededConn(t, seedEvents, `INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash,
			mapping_file, mapping_hash, state, next_attempt_at, created_at, updated_at)
		SELECT e.id, 'hubspot', k.kind, k.kind || e.id, CASE WHEN k.kind = 'deal' THEN 'contact' || e.id ELSE '' END,
			repeat('p', 300), 'h', 'eaf.yaml', 'h', 'pending', now() + interval '1 hour', now(), now()
		FROM events e, (VALUES ('contact'), ('deal')) k(kind) WHERE e.id <= 4000`, `ANALYZE`)
	var available bool
	if err := conn.QueryRow(ctx, `SELECT pg_jit_available()`).Scan(&available); err != nil {
		t.Fatal(err)
	}
	if !available {
		t.Skip("this PostgreSQL server has no JIT compiler (llvmjit) to switch off")
	}
	plan := func(q interface {
		Query(context.Context, string, ...any) (pgx.Rows, error)
	}) string {
		rows, _ := q.Query(ctx, `EXPLAIN (ANALYZE) `+pendingLeftSQL, "hubspot", "2026-12-07 12:00:00+00")
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(lines, "\n")
	}
	if p := plan(conn); !strings.Contains(p, "JIT:") {
		t.Fatalf("a session of the server's defaults does not compile PendingLeft at 8,000 pending: the seed proves nothing\n%s", p)
	}
	if p := plan(db.pool); strings.Contains(p, "JIT:") {
		t.Errorf("the pool's session compiles PendingLeft at 8,000 pending:\n%s", p)
	}
}
