package postgres_test

import (
	"context"
	"flag"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

var hotHistory = flag.Int("hot.history", 40000, "finished leads BenchmarkHotStatements keeps beside its burst")
var hotBurst = flag.Int("hot.burst", 4000, "leads whose operations are pending in BenchmarkHotStatements' burst")

// BenchmarkHotStatements times what the daemon repeats on PostgreSQL
// beside a year's history (-hot.history finished leads: a mapped event, a
// done contact and deal operation and their CRM links each; a quarantined
// body in 20 of them, one in 50 of those waiting) and a burst
// (-hot.burst leads whose operations are pending), under each state of
// the planner's statistics: taken over the history before the burst
// (history), never taken (never), taken after the burst (burst). Each is
// a fresh database, autovacuum off. It reports the milliseconds of a
// finish of 100 claimed operations (FinishOps, rescheduled: they stay
// pending), a batch's CRM links (LinksFor of 100 keys), the end of a
// drained run (SetLastSyncDrained) and the count of the quarantined
// bodies waiting (QuarantineWaiting):
//
//	go test ./internal/postgres -run '^$' -bench HotStatements -benchtime 1x
func BenchmarkHotStatements(b *testing.B) {
	for range b.N {
		for _, stats := range []string{"history", "never", "burst"} {
			for name, ms := range hotTimes(b, stats) {
				b.ReportMetric(ms, name+"-ms-"+stats)
			}
		}
	}
}

// hotTimes seeds a fresh database with the statistics as stats says and
// returns the mean milliseconds of each statement, by name.
func hotTimes(b *testing.B, stats string) map[string]float64 {
	b.Helper()
	ctx := context.Background()
	b.StopTimer()
	defer b.StartTimer()
	dsn := pgtest.DSN(b)
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	h, n := *hotHistory, *hotBurst
	leads := func(first, last int, state string) []string {
		return []string{fmt.Sprintf(`INSERT INTO events (id, source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
			SELECT g, 'eaf', 'eaf', 'email_lead', 'eaf:' || g, convert_to(repeat('b', 700), 'UTF8'), 'strict', now(), now(), 'mapped'
			FROM generate_series(%d, %d) g`, first, last),
			fmt.Sprintf(`INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash, mapping_file,
				mapping_hash, state, next_attempt_at, created_at, updated_at)
			SELECT g, 'hubspot', k.kind, CASE WHEN k.kind = 'contact' THEN 'c' || g || '@x.dk' ELSE 'eaf:' || g END,
				CASE WHEN k.kind = 'deal' THEN 'c' || g || '@x.dk' ELSE '' END, '{"p":"' || repeat('p', 290) || '"}', 'h', 'eaf.yaml', 'h', '%s',
				now() - interval '1 hour', now(), now()
			FROM generate_series(%d, %d) g, (VALUES ('contact'), ('deal')) k(kind)`, state, first, last)}
	}
	var seed []string
	for _, table := range []string{"events", "outbox", "crm_links", "quarantine", "state"} {
		seed = append(seed, `ALTER TABLE `+table+` SET (autovacuum_enabled = false)`)
	}
	seed = append(seed, leads(1, h, "done")...)
	seed = append(seed, `INSERT INTO crm_links (target, kind, key, crm_id, updated_at) SELECT target, kind, key, id::text, now() FROM outbox`,
		fmt.Sprintf(`INSERT INTO quarantine (source, kind, body, body_sha256, reason, received_at, last_delivery_at, resolved_at, changed_of)
		SELECT 'eaf', 'eaf', convert_to(repeat('q', 500), 'UTF8'), md5(g::text), 'invalid', now(), now(),
			CASE WHEN g %% 50 <> 0 THEN now() END, 0
		FROM generate_series(1, %d) g`, h/20))
	if stats == "history" {
		seed = append(seed, `ANALYZE`)
	}
	seed = append(seed, leads(h+1, h+n, "pending")...)
	if stats == "burst" {
		seed = append(seed, `ANALYZE`)
	}
	for _, q := range seed {
		if _, err := conn.Exec(ctx, q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	ops, err := db.ListOps(ctx, syncd.OpFilter{State: syncd.OpPending, Target: "hubspot", Kind: syncd.RecordContact, Limit: 100})
	if err != nil || len(ops) != 100 {
		b.Fatalf("%d pending contacts, %v", len(ops), err)
	}
	for i := range ops {
		ops[i].Attempts, ops[i].NextAttemptAt, ops[i].LastError = 1, time.Now().Add(time.Hour), "429"
	}
	keys := make([]string, 0, 100)
	for i := range 50 {
		keys = append(keys, fmt.Sprintf("c%d@x.dk", 1+i*(h/50)), fmt.Sprintf("c%d@x.dk", h+1+i))
	}
	timed := func(runs int, fn func() error) float64 {
		start := time.Now()
		for range runs {
			if err := fn(); err != nil {
				b.Fatal(err)
			}
		}
		return float64(time.Since(start).Microseconds()) / 1000 / float64(runs)
	}
	return map[string]float64{
		"finish100": timed(10, func() error { return db.FinishOps(ctx, ops) }),
		"links100": timed(50, func() error {
			got, err := db.LinksFor(ctx, "hubspot", syncd.RecordContact, keys)
			if err == nil && len(got) != 50 {
				err = fmt.Errorf("%d links, want 50", len(got))
			}
			return err
		}),
		"drained":    timed(50, func() error { _, err := db.SetLastSyncDrained(ctx, "hubspot", time.Now()); return err }),
		"quarantine": timed(50, func() error { _, err := db.QuarantineWaiting(ctx); return err }),
	}
}
