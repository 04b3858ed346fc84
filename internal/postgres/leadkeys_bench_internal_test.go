package postgres

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
)

var leadKeysEvents = flag.Int("leadkeys.events", 100_000, "events BenchmarkLeadKeysMigration stores")

// BenchmarkLeadKeysMigration times the steps of migrations 0022 (the
// events an older syncd keyed by their body's hash, their type written
// "Email_Lead", take their delivery id's key: keyLeadsByID) and 0023
// (those it ignored for that type are pending again:
// storesql.RequeueDocumentedTypes), one after the other in a transaction
// rolled back after each run, over -leadkeys.events events (vacuumed and
// analyzed, each key in intake_keys) of which 1% and 10% are such leads,
// ignored, the others leads stored as documented and mapped (a contact
// and a deal each in crm_links); against one
// read of every event's body (the least a pass over the table costs), in
// turns (migration, read, read, migration) on one session. It logs the
// minimum and median of each, and reports each median and the ratio of
// each step to the read:
//
//	go test ./internal/postgres -run '^$' -bench LeadKeysMigration -benchtime 1x
func BenchmarkLeadKeysMigration(b *testing.B) {
	for _, pct := range []int{1, 10} {
		b.Run(fmt.Sprintf("odd=%d%%", pct), func(b *testing.B) { benchLeadKeys(b, *leadKeysEvents, pct) })
	}
}

func benchLeadKeys(b *testing.B, n, pct int) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.DSN(b)+"&pool_max_conns=1")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	// one in 100/pct written "Email_Lead": type email_lead since 0021,
	// keyed by its body's hash, ignored; the others keyed eaf:<id>, mapped
	if _, err := db.pool.Exec(ctx, `INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at,
			map_state, map_error)
		SELECT 'eaf', 'eaf', 'email_lead', CASE WHEN g % (100 / $2::int) = 0 THEN 'sha256:' || md5(g::text) ELSE 'eaf:' || g END,
			convert_to('{"eaf_type":"' || CASE WHEN g % (100 / $2::int) = 0 THEN 'Email_Lead' ELSE 'email_lead' END ||
				'","eaf_id":"' || g || '","contact_email":"lead' || g || '@example.com","message":"' || repeat('m', 400) || '"}', 'UTF8'),
			'strict', now() - g * interval '1 second', now() - g * interval '1 second',
			CASE WHEN g % (100 / $2::int) = 0 THEN 'ignored' ELSE 'mapped' END,
			CASE WHEN g % (100 / $2::int) = 0 THEN 'no rule for eaf Email_Lead' ELSE '' END
		FROM generate_series(1, $1::int) g`, n, pct); err != nil {
		b.Fatal(err)
	}
	if _, err := db.pool.Exec(ctx, `INSERT INTO intake_keys (source, idem_key, event_id, received_at)
		SELECT source, idem_key, id, received_at FROM events`); err != nil {
		b.Fatal(err)
	}
	// the CRM's links of the mapped leads: a contact and a deal each
	if _, err := db.pool.Exec(ctx, `INSERT INTO crm_links (target, kind, key, crm_id, updated_at)
		SELECT 'hubspot', k, CASE k WHEN 'deal' THEN 'eaf:' || idem_key ELSE 'lead' || id || '@example.com' END, id::text, now()
		FROM events, (VALUES ('contact'), ('deal')) AS kinds (k) WHERE map_state = 'mapped'`); err != nil {
		b.Fatal(err)
	}
	for _, t := range []string{"events", "intake_keys", "crm_links"} {
		if _, err := db.pool.Exec(ctx, `VACUUM ANALYZE `+t); err != nil {
			b.Fatal(err)
		}
	}
	odd := n / (100 / pct)
	took := map[string][]time.Duration{}
	for b.Loop() {
		for range 3 {
			for _, v := range []string{"migration", "read", "read", "migration"} {
				if v == "read" {
					start := time.Now()
					var c int
					if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM events WHERE length(body) > 0`).Scan(&c); err != nil || c != n {
						b.Fatalf("read %d bodies of %d: %v", c, n, err)
					}
					took[v] = append(took[v], time.Since(start))
					continue
				}
				var requeued int
				err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
					start := time.Now()
					if _, err := keyLeadsByID(ctx, tx); err != nil {
						return err
					}
					took["0022"] = append(took["0022"], time.Since(start))
					start = time.Now()
					var err error
					if requeued, err = storesql.RequeueDocumentedTypes(ctx, storesql.Dollar, txQuery(tx), txExec(tx)); err != nil {
						return err
					}
					took["0023"] = append(took["0023"], time.Since(start))
					var rekeyed int
					if err := tx.QueryRow(ctx, `SELECT count(*) FROM events WHERE idem_key LIKE 'eaf:%' AND map_state = 'pending'`).
						Scan(&rekeyed); err != nil {
						return err
					}
					if rekeyed != odd || requeued != odd {
						return fmt.Errorf("rekeyed %d, requeued %d, want %d each", rekeyed, requeued, odd)
					}
					return errRollBack
				})
				if !errors.Is(err, errRollBack) {
					b.Fatal(err)
				}
			}
		}
	}
	median := map[string]time.Duration{}
	for v, ds := range took {
		slices.Sort(ds)
		median[v] = ds[len(ds)/2]
		b.Logf("%s: min %v, median %v (%d runs)", v, ds[0].Round(time.Millisecond), median[v].Round(time.Millisecond), len(ds))
	}
	b.ReportMetric(median["0022"].Seconds(), "s-0022")
	b.ReportMetric(median["0023"].Seconds(), "s-0023")
	b.ReportMetric(median["read"].Seconds(), "s-read")
	b.ReportMetric(median["0022"].Seconds()/median["read"].Seconds(), "0022/read")
	b.ReportMetric(median["0023"].Seconds()/median["read"].Seconds(), "0023/read")
}
