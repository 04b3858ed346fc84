package sqlite

import (
	"context"
	"flag"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
)

var typesEvents = flag.Int("types.events", 200_000, "events BenchmarkTypesMigration stores, one in 100 of a type in another case")

// BenchmarkTypesMigration times the step of migration 0019 that gives the
// events an older syncd stored with a documented type in another case
// their documented type (storesql.DocumentTypes, in a transaction rolled
// back after each run) over -types.events events (one in 100 stored as
// "Email_Lead", one in 100 as "email-lead", which stays), against one
// read of every event's type (the table has no index of types: the least
// a pass over it costs), in turns (migration, read, read, migration); it
// logs the minimum and median of each, and reports each median and their
// ratio:
//
//	go test ./internal/sqlite -run '^$' -bench TypesMigration -benchtime 1x
func BenchmarkTypesMigration(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "syncd.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	n := *typesEvents
	if _, err := db.w.ExecContext(ctx, `WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < ?1)
		INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
		SELECT 'eaf', 'eaf', CASE i % 100 WHEN 0 THEN 'Email_Lead' WHEN 1 THEN 'email-lead' ELSE 'email_lead' END,
			'sha256:' || i, CAST('{"eaf_type":"email_lead","eaf_id":"' || i || '","message":"' || printf('%.400c', 'm') || '"}' AS BLOB),
			'strict', strftime('%Y-%m-%dT%H:%M:%fZ', '2026-12-01', '+' || (i % 864000) || ' seconds'),
			strftime('%Y-%m-%dT%H:%M:%fZ', '2026-12-01'), 'mapped'
		FROM g`, n); err != nil {
		b.Fatal(err)
	}
	took := map[string][]time.Duration{}
	for b.Loop() {
		for range 4 {
			for _, v := range []string{"migration", "read", "read", "migration"} {
				start := time.Now()
				if v == "read" {
					var c int
					if err := db.w.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE type <> ''`).Scan(&c); err != nil || c != n {
						b.Fatalf("read %d types of %d: %v", c, n, err)
					}
				} else {
					tx, err := db.w.BeginTx(ctx, nil)
					if err != nil {
						b.Fatal(err)
					}
					c, err := storesql.DocumentTypes(ctx, storesql.SQLite, txQuery(tx), txExec(tx))
					tx.Rollback()
					if err != nil || c != n/100 {
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
