package postgres

import (
	"context"
	"errors"
	"flag"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
)

var typesEvents = flag.Int("types.events", 200_000, "events BenchmarkTypesMigration stores, one in 100 of a type in another case")

// errRollBack rolls a benchmark's transaction back.
var errRollBack = errors.New("rolled back")

// BenchmarkTypesMigration times the step of migration 0021 that gives the
// events an older syncd stored with a documented type in another case
// their documented type (storesql.DocumentTypes, in a transaction rolled
// back after each run) over -types.events events, vacuumed and analyzed
// (one in 100 stored as "Email_Lead", one in 100 as "email-lead", which
// stays), against one read of every event's type (the table has no index
// of types: the least a pass over it costs), in turns (migration, read,
// read, migration) on one session; it logs the minimum and median of
// each, and reports each median and their ratio:
//
//	go test ./internal/postgres -run '^$' -bench TypesMigration -benchtime 1x
func BenchmarkTypesMigration(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.DSN(b)+"&pool_max_conns=1")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	n := *typesEvents
	if _, err := db.pool.Exec(ctx, `INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
		SELECT 'eaf', 'eaf', CASE g % 100 WHEN 0 THEN 'Email_Lead' WHEN 1 THEN 'email-lead' ELSE 'email_lead' END,
			'sha256:' || g, convert_to('{"eaf_type":"email_lead","eaf_id":"' || g || '","message":"' || repeat('m', 400) || '"}', 'UTF8'),
			'strict', '2026-12-01'::timestamptz + g * interval '1 second', '2026-12-01'::timestamptz, 'mapped'
		FROM generate_series(1, $1::int) g`, n); err != nil {
		b.Fatal(err)
	}
	if _, err := db.pool.Exec(ctx, `VACUUM ANALYZE events`); err != nil {
		b.Fatal(err)
	}
	took := map[string][]time.Duration{}
	for b.Loop() {
		for range 4 {
			for _, v := range []string{"migration", "read", "read", "migration"} {
				start := time.Now()
				if v == "read" {
					var c int
					if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM events WHERE type <> ''`).Scan(&c); err != nil || c != n {
						b.Fatalf("read %d types of %d: %v", c, n, err)
					}
				} else {
					var c int
					err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
						var err error
						if c, err = storesql.DocumentTypes(ctx, storesql.Dollar, txQuery(tx), txExec(tx)); err != nil {
							return err
						}
						return errRollBack
					})
					if !errors.Is(err, errRollBack) || c != n/100 {
						b.Fatalf("rewrote %d types, want %d: %v", c, n/100, err)
					}
				}
				took[v] = append(took[v], time.Since(start))
			}
		}
	}
	median := map[string]time.Duration{}
	for v, ds := range took {
		slices.Sort(ds)
		median[v] = ds[len(ds)/2]
		b.Logf("%s: min %v, median %v (%d runs)", v, ds[0].Round(time.Millisecond), median[v].Round(time.Millisecond), len(ds))
	}
	b.ReportMetric(median["migration"].Seconds(), "s-migration")
	b.ReportMetric(median["read"].Seconds(), "s-read")
	b.ReportMetric(median["migration"].Seconds()/median["read"].Seconds(), "migration/read")
}
