package sqlite

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
)

var leadKeysEvents = flag.Int("leadkeys.events", 100_000, "events BenchmarkLeadKeysMigration stores")

// BenchmarkLeadKeysMigration times the steps of migrations 0020 (the
// events an older syncd keyed by their body's hash, their type written
// "Email_Lead", take their delivery id's key: keyLeadsByID) and 0021
// (those it ignored for that type are pending again:
// storesql.RequeueDocumentedTypes), one after the other in a transaction
// rolled back after each run, over -leadkeys.events events of which 1%
// and 10% are such leads, ignored, the others leads stored as documented
// and mapped (a contact and a deal each in crm_links); against one read
// of every event's body (the least a pass over the table costs), in turns
// (migration, read, read, migration). It logs the minimum and median of
// each, and reports each median and the ratio of each step to the read;
// PostgreSQL's twin is in internal/postgres:
//
//	go test ./internal/sqlite -run '^$' -bench LeadKeysMigration -benchtime 1x
func BenchmarkLeadKeysMigration(b *testing.B) {
	for _, pct := range []int{1, 10} {
		b.Run(fmt.Sprintf("odd=%d%%", pct), func(b *testing.B) { benchLeadKeys(b, *leadKeysEvents, pct) })
	}
}

func benchLeadKeys(b *testing.B, n, pct int) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "syncd.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	// one in 100/pct written "Email_Lead": type email_lead since 0019,
	// keyed by its body's hash, ignored; the others keyed eaf:<id>, mapped
	if _, err := db.w.ExecContext(ctx, `WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < ?1)
		INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state, map_error)
		SELECT 'eaf', 'eaf', 'email_lead', CASE WHEN i % (100 / ?2) = 0 THEN 'sha256:' || hex(randomblob(32)) ELSE 'eaf:' || i END,
			CAST('{"eaf_type":"' || CASE WHEN i % (100 / ?2) = 0 THEN 'Email_Lead' ELSE 'email_lead' END ||
				'","eaf_id":"' || i || '","contact_email":"lead' || i || '@example.com","message":"' || printf('%.400c', 'm') || '"}' AS BLOB),
			'strict', strftime('%Y-%m-%dT%H:%M:%fZ', '2026-12-01', '+' || i || ' seconds'),
			strftime('%Y-%m-%dT%H:%M:%fZ', '2026-12-01', '+' || i || ' seconds'),
			CASE WHEN i % (100 / ?2) = 0 THEN 'ignored' ELSE 'mapped' END,
			CASE WHEN i % (100 / ?2) = 0 THEN 'no rule for eaf Email_Lead' ELSE '' END
		FROM g`, n, pct); err != nil {
		b.Fatal(err)
	}
	// the CRM's links of the mapped leads: a contact and a deal each
	if _, err := db.w.ExecContext(ctx, `INSERT INTO crm_links (target, kind, key, crm_id, updated_at)
		SELECT 'hubspot', k.column1, CASE k.column1 WHEN 'deal' THEN 'eaf:' || idem_key ELSE 'lead' || id || '@example.com' END,
			CAST(id AS TEXT), '2026-12-01T00:00:00.000000Z'
		FROM events, (VALUES ('contact'), ('deal')) AS k WHERE map_state = 'mapped'`); err != nil {
		b.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	odd := n / (100 / pct)
	took := map[string][]time.Duration{}
	for b.Loop() {
		for range 3 {
			for _, v := range []string{"migration", "read", "read", "migration"} {
				if v == "read" {
					start := time.Now()
					var c int
					if err := db.w.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE length(body) > 0`).Scan(&c); err != nil || c != n {
						b.Fatalf("read %d bodies of %d: %v", c, n, err)
					}
					took[v] = append(took[v], time.Since(start))
					continue
				}
				tx, err := db.w.BeginTx(ctx, nil)
				if err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				rekeyed, err := keyLeadsByID(ctx, tx)
				took["0020"] = append(took["0020"], time.Since(start))
				if err != nil {
					tx.Rollback()
					b.Fatal(err)
				}
				start = time.Now()
				requeued, err := storesql.RequeueDocumentedTypes(ctx, storesql.SQLite, txQuery(tx), txExec(tx))
				took["0021"] = append(took["0021"], time.Since(start))
				tx.Rollback()
				if err != nil || rekeyed != odd || requeued != odd {
					b.Fatalf("rekeyed %d, requeued %d, want %d each: %v", rekeyed, requeued, odd, err)
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
	b.ReportMetric(median["0020"].Seconds(), "s-0020")
	b.ReportMetric(median["0021"].Seconds(), "s-0021")
	b.ReportMetric(median["read"].Seconds(), "s-read")
	b.ReportMetric(median["0020"].Seconds()/median["read"].Seconds(), "0020/read")
	b.ReportMetric(median["0021"].Seconds()/median["read"].Seconds(), "0021/read")
}
