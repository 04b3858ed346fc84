package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// BenchmarkClaimBesideAKeysHistory measures the claim of one contact's
// operation when that contact has N other operations in the outbox, each
// with other properties: done (a client who enquired N times, within the
// outbox's retention) or still pending (a backlog of one address, all of
// which the claim then takes as the contact's run of updates). It is
// SQLite's BenchmarkClaimBesideAKeysHistory on PostgreSQL, the statistics
// taken once the operations are in (ANALYZE): the claim's looks at the
// record (an older pending operation, its updates behind it) are the
// reads that may grow with its history. It reports the time of a claim
// and the outbox rows it read (the server's statistics):
//
//	go test ./internal/postgres -run '^$' -bench ClaimBesideAKeysHistory -benchtime 20x
func BenchmarkClaimBesideAKeysHistory(b *testing.B) {
	for _, n := range []int{100, 1000, 4000} {
		for _, state := range []string{"done", "pending"} {
			b.Run(fmt.Sprintf("%s=%d", state, n), func(b *testing.B) {
				ctx := context.Background()
				conn := benchConn(b, fmt.Sprintf(`INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
					SELECT 'lb', 'lokalebasen', 'enquiry_created', 'sha256:' || g, '{}', 'strict', now(), now(), 'mapped'
					FROM generate_series(1, %d) g`, n+1),
					// all but the newest done (or none), as the syncer leaves them
					fmt.Sprintf(`INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash, mapping_file,
						mapping_hash, state, next_attempt_at, created_at, updated_at, done_at, key_kind)
					SELECT e.id, 'hubspot', 'contact', 'one@example.com', '',
						'{"email": "one@example.com", "firstname": "Anna ' || e.id || '"}', 'h' || e.id, 'm.yaml', 'h',
						CASE WHEN e.id <= %[1]d AND '%[2]s' = 'done' THEN 'done' ELSE 'pending' END,
						now() - interval '1 minute', now() - interval '1 minute', now() - interval '1 minute',
						CASE WHEN e.id <= %[1]d AND '%[2]s' = 'done' THEN now() END, 'email'
					FROM events e ORDER BY e.id`, n, state),
					`ANALYZE outbox`)
				db, err := Open(ctx, conn.Config().ConnString()+"&pool_max_conns=1") // one session, whose statistics it flushes when asked
				if err != nil {
					b.Fatal(err)
				}
				defer db.Close()
				rowsRead := func() int64 {
					b.Helper()
					for _, q := range []string{`SELECT pg_stat_force_next_flush()`, `SELECT 1`} {
						if _, err := db.pool.Exec(ctx, q); err != nil {
							b.Fatal(err)
						}
					}
					time.Sleep(100 * time.Millisecond)
					var read int64
					if _, err := conn.Exec(ctx, `SELECT pg_stat_clear_snapshot()`); err != nil {
						b.Fatal(err)
					}
					if err := conn.QueryRow(ctx, `SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)
						FROM pg_stat_user_tables WHERE relid = 'outbox'::regclass`).Scan(&read); err != nil {
						b.Fatal(err)
					}
					return read
				}
				var took time.Duration
				var read int64
				taken := 0
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					before := rowsRead()
					b.StartTimer()
					start := time.Now()
					ops, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 100, time.Minute)
					took += time.Since(start)
					b.StopTimer()
					if err != nil || len(ops) == 0 {
						b.Fatalf("claimed %d, %v", len(ops), err)
					}
					read, taken = rowsRead()-before, len(ops)
					if _, err := db.pool.Exec(ctx, `UPDATE outbox SET lease_until = NULL WHERE lease_until IS NOT NULL`); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				b.ReportMetric(float64(took.Microseconds())/float64(b.N), "µs/claim")
				b.ReportMetric(float64(read), "rows-read/claim")
				b.ReportMetric(float64(taken), "ops/claim")
			})
		}
	}
}
