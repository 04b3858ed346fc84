package postgres

import (
	"context"
	"flag"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/sender"
)

var typeReadLeads = flag.Int("typeread.leads", 200_000, "leads BenchmarkLeadsTypeRead stores, over 10 days")

// BenchmarkLeadsTypeRead times the report's leads query (EachLead's) on
// one day of -typeread.leads over 10 days, as it reads a stored type (as
// stored, else as sender.DocumentedType reads it: an older syncd's
// "Email_Lead") against the same query reading the type as stored alone,
// in turns (as stored, read, read, as stored) on one session with JIT off,
// as the pool has it; it logs the minimum and median of each, and
// reports each median and their ratio:
//
//	go test ./internal/postgres -run '^$' -bench LeadsTypeRead -benchtime 1x
func BenchmarkLeadsTypeRead(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.DSN(b)+"&pool_max_conns=1")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	n := *typeReadLeads
	day := fillReportDays(ctx, b, db, n)
	if _, err := db.pool.Exec(ctx, `SET jit = off`); err != nil {
		b.Fatal(err)
	}
	asStored := strings.Replace(leadsSQL, typeIn(4, 5), "(e.kind, e.type) IN (SELECT * FROM unnest($4::text[], $5::text[]))", 1)
	if asStored == leadsSQL {
		b.Fatal("the leads query reads no type as DocumentedType does")
	}
	kinds, types := senderTypes(func(s sender.Spec) []string { return s.Leads })
	from, to := db.serverTime(db.hostTime(day)), db.serverTime(db.hostTime(day.Add(24*time.Hour)))
	took := map[string][]time.Duration{}
	for b.Loop() {
		for range 8 {
			for _, v := range []string{"as stored", "read", "read", "as stored"} {
				q := leadsSQL
				if v == "as stored" {
					q = asStored
				}
				start := time.Now()
				rows, err := db.pool.Query(ctx, q, from, to, "hubspot", kinds, types)
				if err != nil {
					b.Fatal(err)
				}
				leads := 0
				for rows.Next() {
					leads++
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					b.Fatal(err)
				}
				if leads < n/10-1 || leads > n/10+1 {
					b.Fatalf("%s: %d leads read of the day's %d", v, leads, n/10)
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
	b.ReportMetric(median["as stored"].Seconds(), "s-as-stored")
	b.ReportMetric(median["read"].Seconds(), "s-read")
	b.ReportMetric(median["read"].Seconds()/median["as stored"].Seconds(), "read/as-stored")
}
