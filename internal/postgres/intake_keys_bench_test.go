package postgres_test

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
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
				in := db.NewIntake(postgres.IntakeOptions{})
				ictx, stop := context.WithCancel(context.Background())
				go in.Run(ictx)
				before := deliveries(b, in, "before", 2*time.Second, nil)
				var done atomic.Bool
				during := make(chan []time.Duration)
				go func() { during <- deliveries(b, in, "during", time.Hour, &done) }()
				b.StartTimer()
				start := time.Now()
				p, err := db.Purge(context.Background(), syncd.Retention{Keys: keysWindow})
				took := time.Since(start)
				b.StopTimer()
				done.Store(true)
				lat := <-during
				stop()
				if err != nil || p.Keys != expired {
					b.Fatalf("swept %+v, %v; want %d keys", p, err, expired)
				}
				b.ReportMetric(float64(took.Milliseconds()), "ms/sweep")
				b.ReportMetric(ms(slices.Max(before)), "intake-max-ms-before")
				b.ReportMetric(ms(slices.Max(lat)), "intake-max-ms-during")
				b.ReportMetric(ms(p99(before)), "intake-p99-ms-before")
				b.ReportMetric(ms(p99(lat)), "intake-p99-ms-during")
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
	dsn := pgtest.DSN(b)
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
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
