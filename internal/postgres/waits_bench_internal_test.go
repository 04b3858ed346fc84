package postgres

import (
	"context"
	"flag"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

var finishWaitsLeads = flag.Int("finishwaits.leads", 10_000, "leads pending in BenchmarkFinishWaits, half of them refused and marked")

var behindLeads = flag.Int("behind.leads", 100_000, "leads whose contact BenchmarkClaimDealsBehindUnsent leaves unsent, pending, in front of 50 whose deal is claimable")

// BenchmarkClaimDealsBehindUnsent times a claim of deals through
// FinishAndClaimOps in a backlog: -behind.leads leads whose contact and
// deal are pending, the contact not yet sent (neither refused nor marked:
// the deal waits for it unmarked), then 50 leads whose contact is sent
// and whose deal is due; with 50 such deals first due in front of them
// all (head: as the contacts just sent let them go) or none (none: the
// last claim of deals before the syncer turns to contacts again). The
// statistics are never taken. Each claim's leases are taken off after
// it, untimed. It reports the median time of a claim, the rows of the
// outbox it read (the server's statistics) and the deals it took:
//
//	go test ./internal/postgres -run '^$' -bench ClaimDealsBehindUnsent -benchtime 5x
func BenchmarkClaimDealsBehindUnsent(b *testing.B) {
	for _, front := range []string{"head", "none"} {
		b.Run(front, func(b *testing.B) {
			ctx := context.Background()
			n := *behindLeads
			head := "pending" // the deals of leads 1-50
			if front == "none" {
				head = "done"
			}
			// leads 1-50 and n+51 to n+100: the contact sent, the deal due,
			// leads 1-50 an hour before the others (or done)
			conn := benchConn(b, `ALTER TABLE outbox SET (autovacuum_enabled = false)`,
				fmt.Sprintf(`INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
				SELECT 'eaf', 'eaf', 'email_lead', 'k' || g, '{}', 'strict', now(), now(), 'mapped' FROM generate_series(1, %d) g`, n+100),
				fmt.Sprintf(`INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash, mapping_file,
					mapping_hash, state, next_attempt_at, created_at, updated_at)
				SELECT e.id, 'hubspot', k.kind, k.kind || e.id, CASE WHEN k.kind = 'deal' THEN 'contact' || e.id ELSE '' END,
					'{"p": "' || repeat('p', 300) || '"}', 'h', 'eaf.yaml', 'h',
					CASE WHEN k.kind = 'contact' AND (e.id <= 50 OR e.id > %[1]d + 50) THEN 'done'
						WHEN e.id <= 50 THEN '%[2]s' ELSE 'pending' END,
					now() - interval '1 hour' - CASE WHEN e.id <= 50 THEN interval '1 hour' ELSE interval '0' END, now(), now()
				FROM events e, (VALUES ('contact'), ('deal')) k(kind) ORDER BY e.id, k.kind`, n, head))
			dsn := conn.Config().ConnString()
			db, err := Open(ctx, dsn+"&pool_max_conns=1") // one session, whose statistics it flushes when asked
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			rowsRead := func() int64 {
				b.Helper()
				for _, q := range []string{`SELECT pg_stat_force_next_flush()`, `SELECT 1`} { // idle after the second: flushed
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
			var took []time.Duration
			var read int64
			var taken int
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				before := rowsRead()
				b.StartTimer()
				start := time.Now()
				ops, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordDeal, 100, time.Hour)
				took = append(took, time.Since(start))
				b.StopTimer()
				if err != nil {
					b.Fatal(err)
				}
				read, taken = rowsRead()-before, len(ops)
				// on the session whose statistics are flushed before the next
				// count: what it reads is not counted as the next claim's
				if _, err := db.pool.Exec(ctx, `UPDATE outbox SET lease_until = NULL WHERE lease_until IS NOT NULL`); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			slices.Sort(took)
			b.Logf("%s, %d leads unsent in front of 50: a claim of deals took %d, read %d rows, median %v of %d",
				front, n, taken, read, took[len(took)/2].Round(100*time.Microsecond), len(took))
			b.ReportMetric(float64(read), "rows-read/claim")
			b.ReportMetric(float64(taken), "deals/claim")
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "ms/claim")
		})
	}
}

// BenchmarkFinishWaits reads the plans of the finish's looks at the
// deals of the contacts it retried (markWaitsSQL) or ended
// (clearWaitsSQL), on -finishwaits.leads leads pending whose first half
// a CRM refused (their deals marked), the last 50 of those since sent: a
// finish of 100 contacts, 50 of them sent with marked deals and 50 with
// none (the clear), or 50 refused again and 50 refused first (the mark).
// With the statistics never taken and after an ANALYZE (sub-benchmarks
// never, analyzed), each statement custom and generic, an EXPLAIN
// (ANALYZE, BUFFERS) rolled back, it logs each plan's buffers and median
// time, and reports the median of the clear planned generically:
//
//	go test ./internal/postgres -run '^$' -bench FinishWaits -benchtime 5x
func BenchmarkFinishWaits(b *testing.B) {
	if n := *finishWaitsLeads; n < 2100 {
		// its finish names the contacts n/2+1001 to n/2+1050, refused first
		b.Fatalf("-finishwaits.leads %d is too few: give at least 2100 (the finish names the contacts of leads up to n/2+1050)", n)
	}
	for _, stats := range []string{"never", "analyzed"} {
		b.Run(stats, func(b *testing.B) {
			ctx := context.Background()
			n := *finishWaitsLeads
			seed := []string{`ALTER TABLE outbox SET (autovacuum_enabled = false)`,
				fmt.Sprintf(`INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
				SELECT 'eaf', 'eaf', 'email_lead', 'k' || g, '{}', 'strict', now(), now(), 'mapped' FROM generate_series(1, %d) g`, n),
				`INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash, mapping_file,
					mapping_hash, state, next_attempt_at, created_at, updated_at)
				SELECT e.id, 'hubspot', k.kind, k.kind || e.id, CASE WHEN k.kind = 'deal' THEN 'contact' || e.id ELSE '' END,
					repeat('p', 300), 'h', 'eaf.yaml', 'h', 'pending', now(), now(), now()
				FROM events e, (VALUES ('contact'), ('deal')) k(kind) ORDER BY e.id, k.kind`,
				fmt.Sprintf(`UPDATE outbox SET waits = true WHERE kind = 'deal' AND event_id <= %d`, n/2),
				fmt.Sprintf(`UPDATE outbox SET next_attempt_at = now() + interval '1 hour', attempts = 1 WHERE kind = 'contact' AND event_id <= %d`, n/2),
				fmt.Sprintf(`UPDATE outbox SET state = 'done' WHERE kind = 'contact' AND event_id BETWEEN %d AND %d`, n/2-49, n/2)}
			if stats == "analyzed" {
				seed = append(seed, `ANALYZE outbox`)
			}
			conn := benchConn(b, seed...)
			contacts := func(ranges ...[2]int) string {
				var keys []string
				for _, r := range ranges {
					for i := r[0]; i <= r[1]; i++ {
						keys = append(keys, fmt.Sprint("contact", i))
					}
				}
				return "'{" + strings.TrimSuffix(strings.Repeat("hubspot,", len(keys)), ",") + "}', '{" + strings.Join(keys, ",") + "}'"
			}
			args := map[string]string{"clear": contacts([2]int{n/2 - 49, n / 2}, [2]int{n/2 + 1001, n/2 + 1050}),
				"mark": contacts([2]int{1, 50}, [2]int{n/2 + 1001, n/2 + 1050})}
			took := map[string][]time.Duration{}
			buffers := map[string]int{}
			var names []string
			for _, st := range []struct{ name, q string }{{"clear", clearWaitsSQL}, {"mark", markWaitsSQL}} {
				for _, mode := range []string{"custom", "generic"} {
					name := st.name + "_" + mode
					names = append(names, name)
					if _, err := conn.Exec(ctx, `PREPARE `+name+` AS `+st.q); err != nil {
						b.Fatal(err)
					}
				}
			}
			for b.Loop() {
				for _, name := range names {
					what, mode, _ := strings.Cut(name, "_")
					plan := explainExecute(b, conn, mode, `EXPLAIN (ANALYZE, BUFFERS) EXECUTE `+name+`(`+args[what]+`)`)
					if !strings.Contains(strings.SplitN(plan, "\n", 2)[0], "rows=50 ") {
						b.Fatalf("%s: want 50 deals; plan:\n%s", name, plan)
					}
					buffers[name] = planBuffers(b, plan)
					took[name] = append(took[name], planTime(b, plan))
				}
			}
			for _, name := range names {
				slices.Sort(took[name])
				b.Logf("statistics %s, %s: %d buffers, median %v of %d", stats, name, buffers[name],
					took[name][len(took[name])/2].Round(10*time.Microsecond), len(took[name]))
			}
			b.ReportMetric(float64(took["clear_generic"][len(took["clear_generic"])/2].Microseconds())/1000, "ms/clear-generic")
			b.ReportMetric(float64(buffers["clear_generic"]), "buffers/clear-generic")
		})
	}
}

// benchConn opens a fresh database at the current schema, runs seed on a
// connection of its own and returns that connection, closed with b.
func benchConn(b *testing.B, seed ...string) *pgx.Conn {
	b.Helper()
	ctx := context.Background()
	dsn := pgtest.DSN(b)
	db, err := Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	db.Close() // the schema is made
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close(ctx) })
	for _, q := range seed {
		if _, err := conn.Exec(ctx, q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	return conn
}

// explainExecute runs explain, an EXPLAIN of an EXECUTE, with plans
// made as mode says (custom, generic) in a transaction rolled back, and
// returns the plan.
func explainExecute(b *testing.B, conn *pgx.Conn, mode, explain string) string {
	b.Helper()
	ctx := context.Background()
	if _, err := conn.Exec(ctx, `SET plan_cache_mode = force_`+mode+`_plan`); err != nil {
		b.Fatal(err)
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback(ctx)
	rows, _ := tx.Query(ctx, explain)
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		b.Fatalf("%s: %v", explain, err)
	}
	return strings.Join(lines, "\n")
}

var (
	planBuffersLine = regexp.MustCompile(`Buffers: shared hit=(\d+)(?: read=(\d+))?`)
	planTimeLine    = regexp.MustCompile(`Execution Time: ([0-9.]+) ms`)
)

// planBuffers is the shared buffers (hit and read) the plan's top node
// counts, the statement's whole.
func planBuffers(t testing.TB, plan string) int {
	t.Helper()
	m := planBuffersLine.FindStringSubmatch(plan)
	if m == nil {
		t.Fatalf("no buffers in the plan:\n%s", plan)
	}
	hit, _ := strconv.Atoi(m[1])
	read, _ := strconv.Atoi(m[2])
	return hit + read
}

// planTime is the plan's execution time.
func planTime(t testing.TB, plan string) time.Duration {
	t.Helper()
	m := planTimeLine.FindStringSubmatch(plan)
	if m == nil {
		t.Fatalf("no execution time in the plan:\n%s", plan)
	}
	ms, _ := strconv.ParseFloat(m[1], 64)
	return time.Duration(ms * float64(time.Millisecond))
}
