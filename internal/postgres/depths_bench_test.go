package postgres_test

import (
	"context"
	"flag"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

var depthsOps = flag.Int("depths.ops", 1_000_000, "finished operations BenchmarkOutboxDepths keeps")

// BenchmarkOutboxDepths times OutboxDepths, what /metrics reads at every
// scrape on every instance and syncd status at every run, over
// -depths.ops finished operations (half contacts, half deals; a busy
// agency's 90 days of leads, or a quieter one's year, at the outbox's
// retention) beside 8,000 pending and 1,000 dead, the table vacuumed and
// analyzed as autovacuum leaves it. It checks the figures against a count
// of the table:
//
//	go test ./internal/postgres -run '^$' -bench OutboxDepths -benchtime 20x
func BenchmarkOutboxDepths(b *testing.B) {
	ctx := context.Background()
	db, conn := benchDB(b)
	defer db.Close()
	defer conn.Close(ctx)
	n := depthsFill(b, conn)
	for b.Loop() {
		ds, err := db.OutboxDepths(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if len(ds) != 1 || ds[0].Done != 2*n || ds[0].Pending != 8000 || ds[0].Dead != 1000 {
			b.Fatalf("depths %+v; want %d done, 8000 pending, 1000 dead", ds, 2*n)
		}
	}
}

// BenchmarkValidateDepths times what syncd validate reads of a
// PostgreSQL database of this syncd's schema (postgres.Check: the
// version, the rights, the outbox's depth per CRM) over BenchmarkOutboxDepths'
// outbox, each call its own connection, as validate's, under validate's
// 5 s deadline:
//
//	go test ./internal/postgres -run '^$' -bench ValidateDepths -benchtime 5x
func BenchmarkValidateDepths(b *testing.B) {
	ctx := context.Background()
	dsn := pgtest.DSN(b)
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	db.Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	n := depthsFill(b, conn)
	for b.Loop() {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		found, err := postgres.Check(ctx, dsn)
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		if ds := found.Outbox; len(ds) != 1 || ds[0].Done != 2*n || ds[0].Pending != 8000 || ds[0].Dead != 1000 {
			b.Fatalf("depths %+v; want %d done, 8000 pending, 1000 dead", ds, 2*n)
		}
	}
}

// depthsFill gives the database of conn -depths.ops finished operations
// (half contacts, half deals) beside 8,000 pending and 1,000 dead,
// vacuumed and analyzed; it returns the finished leads (half the
// finished operations).
func depthsFill(b *testing.B, conn *pgx.Conn) int {
	b.Helper()
	ctx := context.Background()
	n := *depthsOps / 2
	for _, q := range []string{
		`INSERT INTO events (id, source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
		SELECT g, 'eaf', 'eaf', 'email_lead', 'eaf:' || g, convert_to(repeat('b', 300), 'UTF8'), 'strict', now(), now(), 'mapped'
		FROM generate_series(1, $1::int + 4500) g`,
		`INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash, mapping_file, mapping_hash,
			state, next_attempt_at, created_at, updated_at)
		SELECT g, 'hubspot', k.kind, k.kind || g, CASE WHEN k.kind = 'deal' THEN 'contact' || g ELSE '' END,
			repeat('p', 300), 'h', 'eaf.yaml', 'h', CASE WHEN g <= $1 THEN 'done' WHEN g <= $1 + 4000 THEN 'pending' ELSE 'dead' END,
			now(), now() - interval '1 day', now()
		FROM generate_series(1, $1::int + 4500) g, (VALUES ('contact'), ('deal')) k(kind)`,
	} {
		if _, err := conn.Exec(ctx, q, n); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := conn.Exec(ctx, `VACUUM ANALYZE outbox`); err != nil {
		b.Fatal(err)
	}
	return n
}
