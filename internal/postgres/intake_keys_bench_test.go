package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// BenchmarkSweepKeys measures the first sweep of intake_keys on a database
// that never swept them: 200,000 keys past the 14-day window beside
// 100,000 within it, with the intake's latency while it runs against the
// same intake's before it (one delivery after another); "noindex" is the
// same sweep without the index on received_at (migration 0006):
//
//	go test ./internal/postgres -run '^$' -bench SweepKeys -benchtime 1x
func BenchmarkSweepKeys(b *testing.B) {
	const expired, kept = 200_000, 100_000
	for _, index := range []bool{true, false} {
		name := map[bool]string{true: "index", false: "noindex"}[index]
		b.Run(name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				db := sweepBenchDB(b, expired, kept, index)
				p := purgeBesideIntake(b, db, syncd.Retention{Keys: keysWindow}, "ms/sweep")
				if p.Keys != expired {
					b.Fatalf("swept %+v; want %d keys", p, expired)
				}
				db.Close()
			}
		})
	}
}

// sweepBenchDB is a fresh database whose intake_keys holds expired keys
// received 20 to 17 days ago and kept keys received in the last 10 days
// (their events are not needed by the sweep), with or without
// intake_keys_received.
func sweepBenchDB(b *testing.B, expired, kept int, index bool) *postgres.DB {
	ctx := context.Background()
	db, conn := benchDB(b)
	defer conn.Close(ctx)
	now := time.Now().UTC()
	fill := `INSERT INTO intake_keys (source, idem_key, event_id, received_at)
		SELECT 'lb', $1 || g, g, $2::timestamptz + g * interval '1 second' FROM generate_series(1, $3::int) g`
	for _, q := range []struct {
		prefix string
		from   time.Time
		n      int
	}{{"old-", now.Add(-20 * 24 * time.Hour), expired}, {"new-", now.Add(-10 * 24 * time.Hour), kept}} {
		if _, err := conn.Exec(ctx, fill, q.prefix, q.from, q.n); err != nil {
			b.Fatal(err)
		}
	}
	if !index {
		if _, err := conn.Exec(ctx, `DROP INDEX intake_keys_received`); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := conn.Exec(ctx, `VACUUM ANALYZE intake_keys`); err != nil {
		b.Fatal(err)
	}
	return db
}
