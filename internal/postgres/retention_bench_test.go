package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// BenchmarkPurgeEvents measures the first purge of a database holding
// 100,000 old event bodies, and the intake's latency while it runs against
// the same intake's before it (max and p99 of one delivery after another):
//
//	go test ./internal/postgres -run '^$' -bench PurgeEvents -benchtime 1x
func BenchmarkPurgeEvents(b *testing.B) {
	const n = 100_000
	for range b.N {
		b.StopTimer()
		db := purgeBenchDB(b, n)
		p := purgeBesideIntake(b, db, syncd.Retention{Events: 90 * 24 * time.Hour}, "ms/purge")
		if p.Events != n {
			b.Fatalf("purged %+v; want %d events", p, n)
		}
		db.Close()
	}
}

// purgeBesideIntake runs db.Purge(r), with the timer on, while one
// delivery after another goes to db's intake, and reports the purge's time
// as unit and the intake's max and p99 latency before and during it. It
// returns what the purge did.
func purgeBesideIntake(b *testing.B, db *postgres.DB, r syncd.Retention, unit string) syncd.Purge {
	in := db.NewIntake(postgres.IntakeOptions{})
	ictx, stop := context.WithCancel(context.Background())
	defer stop()
	go in.Run(ictx)
	before := deliveries(b, in, "before", 2*time.Second, nil)
	var done atomic.Bool
	during := make(chan []time.Duration)
	go func() { during <- deliveries(b, in, "during", time.Hour, &done) }()
	b.StartTimer()
	start := time.Now()
	p, err := db.Purge(context.Background(), r)
	took := time.Since(start)
	b.StopTimer()
	done.Store(true)
	lat := <-during
	if err != nil {
		b.Fatalf("purge: %v", err)
	}
	b.ReportMetric(float64(took.Milliseconds()), unit)
	b.ReportMetric(ms(slices.Max(before)), "intake-max-ms-before")
	b.ReportMetric(ms(slices.Max(lat)), "intake-max-ms-during")
	b.ReportMetric(ms(p99(before)), "intake-p99-ms-before")
	b.ReportMetric(ms(p99(lat)), "intake-p99-ms-during")
	return p
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func p99(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)*99/100]
}

// deliveries stores one delivery after another for up to d (or until
// done), and returns how long each took.
func deliveries(b *testing.B, in *postgres.Intake, tag string, d time.Duration, done *atomic.Bool) []time.Duration {
	var out []time.Duration
	end := time.Now().Add(d)
	for i := 0; time.Now().Before(end) && (done == nil || !done.Load()); i++ {
		inc := syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created",
			Key: fmt.Sprintf("%s-%d", tag, i), Body: []byte(`{"event_type":"enquiry_created"}`), Parse: syncd.ParseStrict}
		start := time.Now()
		if _, err := in.Store(context.Background(), inc); err != nil {
			b.Error(err)
			return out
		}
		out = append(out, time.Since(start))
	}
	return out
}

// purgeBenchDB is a fresh database with n ignored events received 100
// days ago, each with a 500-byte body.
func purgeBenchDB(b *testing.B, n int) *postgres.DB {
	ctx := context.Background()
	db, conn := benchDB(b)
	defer conn.Close(ctx)
	old := time.Now().UTC().Add(-100 * 24 * time.Hour)
	_, err := conn.Exec(ctx, `INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state, mapped_at)
		SELECT 'lb', 'lokalebasen', 'enquiry_created', 'k' || g, convert_to(repeat('Jane Erasmus ', 40), 'UTF8'), 'strict',
			$1::timestamptz + g * interval '1 second', $1::timestamptz + g * interval '1 second', 'ignored', $1::timestamptz
		FROM generate_series(1, $2::int) g`, old, n)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `VACUUM ANALYZE events`); err != nil {
		b.Fatal(err)
	}
	return db
}

// benchDB is a fresh database, and a connection of the benchmark's own to
// fill it.
func benchDB(b *testing.B) (*postgres.DB, *pgx.Conn) {
	dsn := pgtest.DSN(b)
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	return db, conn
}
