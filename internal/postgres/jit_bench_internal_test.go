package postgres

import (
	"context"
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

var jitLeads = flag.Int("jit.leads", 500_000, "leads BenchmarkReportJIT stores, over 10 days")

// BenchmarkReportJIT times what the daily report reads of PostgreSQL for
// one day (EachLead, EachEvent, EachAttention and ErasedLeads, as
// report.Build calls them) with JIT compilation off, as the pool's
// sessions have it (durable), and on, as the server's defaults have it:
// -jit.leads leads received over 10 days (a tenth of them the day read),
// each with a contact and a deal operation done and the contact's CRM
// link, the tables vacuumed and analyzed. Off and on take turns, three
// rounds, on one session (pool_max_conns=1):
//
//	go test ./internal/postgres -run '^$' -bench ReportJIT -benchtime 1x
func BenchmarkReportJIT(b *testing.B) {
	ctx := context.Background()
	dsn := pgtest.DSN(b) + "&pool_max_conns=1"
	db, err := Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var available bool // false while jit is off
	if _, err := db.pool.Exec(ctx, `SET jit = on`); err != nil {
		b.Fatal(err)
	}
	if err := db.pool.QueryRow(ctx, `SELECT pg_jit_available()`).Scan(&available); err != nil {
		b.Fatal(err)
	}
	if !available {
		b.Skip("this PostgreSQL server has no JIT compiler (llvmjit)")
	}
	n := *jitLeads
	filled := time.Now()
	day := fillReportDays(ctx, b, db, n)
	b.Logf("%d leads stored in %v", n, time.Since(filled).Round(time.Second))
	from, to := db.hostTime(day), db.hostTime(day.Add(24*time.Hour))
	read := func() (leads int) {
		err := db.EachLead(ctx, from, to, "hubspot", func(*syncd.LeadRow) error { leads++; return nil })
		if err == nil {
			err = db.EachEvent(ctx, from, to, "lokalebasen", "enquiry_created", func(*syncd.EventRow) error { return nil })
		}
		if err == nil {
			err = db.EachAttention(ctx, from, to, func(*syncd.AttentionRow) error { return nil })
		}
		if err == nil {
			_, err = db.ErasedLeads(ctx, from, to)
		}
		if err != nil {
			b.Fatal(err)
		}
		return leads
	}
	took := map[string][]time.Duration{}
	for b.Loop() {
		for range 3 {
			for _, jit := range []string{"off", "on"} {
				if _, err := db.pool.Exec(ctx, `SET jit = `+jit); err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				leads := read()
				took[jit] = append(took[jit], time.Since(start))
				b.Logf("jit %s: the day's %d leads read in %v", jit, leads, time.Since(start).Round(time.Millisecond))
			}
		}
	}
	// what PostgreSQL compiled of the leads' query, and what that took
	leadKinds, leadTypes := senderTypes(func(s sender.Spec) []string { return s.Leads })
	rows, _ := db.pool.Query(ctx, `EXPLAIN (ANALYZE) `+leadsSQL, db.serverTime(from), db.serverTime(to), "hubspot", leadKinds, leadTypes)
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range lines {
		if strings.Contains(l, "JIT") || strings.Contains(l, "Functions:") || strings.Contains(l, "Options:") ||
			strings.Contains(l, "Timing:") || strings.Contains(l, "Execution Time") {
			b.Logf("jit on, leads' query: %s", strings.TrimSpace(l))
		}
	}
	mean := func(ds []time.Duration) float64 {
		var sum time.Duration
		for _, d := range ds {
			sum += d
		}
		return sum.Seconds() / float64(len(ds))
	}
	b.ReportMetric(mean(took["off"]), "s-jit-off")
	b.ReportMetric(mean(took["on"]), "s-jit-on")
}

// fillReportDays stores n leads received over the 10 days up to
// yesterday (UTC), a tenth of them yesterday, each with a contact and a
// deal operation (one in 500 dead, the others done) and the contact's CRM
// link, and vacuums and analyzes the tables: a big day and the days
// before it, for the benchmarks of the report's reads. It returns
// yesterday's start.
func fillReportDays(ctx context.Context, b *testing.B, db *DB, n int) time.Time {
	b.Helper()
	day := time.Now().UTC().Truncate(24 * time.Hour).Add(-24 * time.Hour)
	first := day.Add(-9 * 24 * time.Hour)
	every := 10 * 24 * time.Hour / time.Duration(n)
	for _, q := range []string{
		`INSERT INTO events (id, source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state, mapped_at)
		SELECT g, 'lb', 'lokalebasen', 'enquiry_created', 'lb:' || g,
			convert_to('{"event":"enquiry_created","name":"Anna Jensen","email":"lead' || g || '@example.com","message":"' || repeat('m', 400) || '"}', 'UTF8'),
			'strict', $1::timestamptz + g * $3::interval, $1::timestamptz + g * $3::interval, 'mapped', $1::timestamptz + g * $3::interval
		FROM generate_series(1, $2::int) g`,
		`INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash, mapping_file, mapping_hash,
			state, crm_id, next_attempt_at, created_at, updated_at, done_at)
		SELECT g, 'hubspot', k.kind, CASE WHEN k.kind = 'deal' THEN 'lb:' || g ELSE 'lead' || g || '@example.com' END,
			CASE WHEN k.kind = 'deal' THEN 'lead' || g || '@example.com' ELSE '' END,
			'{"email":"lead' || g || '@example.com","firstname":"Anna","lastname":"Jensen","phone":"+4520123456"}', 'h',
			'lokalebasen.yaml', 'h', CASE WHEN g % 500 = 0 THEN 'dead' ELSE 'done' END, k.kind || g, now(),
			$1::timestamptz + g * $3::interval, $1::timestamptz + g * $3::interval, $1::timestamptz + g * $3::interval
		FROM generate_series(1, $2::int) g, (VALUES ('contact'), ('deal')) k(kind)`,
	} {
		if _, err := db.pool.Exec(ctx, q, first, n, every); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := db.pool.Exec(ctx, `INSERT INTO crm_links (target, kind, key, crm_id, updated_at, contact_key)
		SELECT 'hubspot', 'contact', 'lead' || g || '@example.com', 'contact' || g, now(), '' FROM generate_series(1, $1::int) g`, n); err != nil {
		b.Fatal(err)
	}
	if _, err := db.pool.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		b.Fatal(err)
	}
	return day
}
