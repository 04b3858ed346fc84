package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// BenchmarkPurgeEvents measures the first purge of a database holding
// 100,000 old event bodies, against the naive statement that starts every
// batch of 500 from the oldest row, walking past the rows it purged already:
//
//	go test ./internal/sqlite -run '^$' -bench PurgeEvents -benchtime 1x
func BenchmarkPurgeEvents(b *testing.B) {
	const n = 100_000
	for _, mode := range []string{"cursor", "naive"} {
		b.Run(mode, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				db := purgeBenchDB(b, n)
				b.StartTimer()
				start := time.Now()
				purged := 0
				if mode == "cursor" {
					p, err := db.Purge(context.Background(), syncd.Retention{Events: 90 * 24 * time.Hour})
					if err != nil {
						b.Fatal(err)
					}
					purged = p.Events
				} else {
					purged = naivePurge(b, db)
				}
				if purged != n {
					b.Fatalf("purged %d, want %d", purged, n)
				}
				b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/purge")
			}
		})
	}
}

// naivePurge is the statement before the cursor: the same batches, each
// walking the index from its start.
func naivePurge(b *testing.B, db *sqlite.DB) int {
	cut := syncd.FormatTime(db.Now().Add(-90 * 24 * time.Hour))
	total := 0
	for {
		res, err := sqlite.RawWriter(db).Exec(`UPDATE events SET body = X'', payload = NULL, map_error = '', purged_at = ?2
WHERE id IN (SELECT e.id FROM events e INDEXED BY events_received
  WHERE e.received_at < ?1 AND e.purged_at IS NULL AND e.erased_at IS NULL AND e.map_state <> 'pending'
    AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.event_id = e.id AND (o.state = 'pending' OR o.updated_at >= ?1))
  ORDER BY e.received_at LIMIT 500)`, cut, syncd.FormatTime(db.Now()))
		if err != nil {
			b.Fatal(err)
		}
		n, _ := res.RowsAffected()
		total += int(n)
		if n < 500 {
			return total
		}
	}
}

// purgeBenchDB holds n ignored events of ~700 bytes received one every 5
// seconds from 110 days ago (100,000 of them: the first 6 days).
func purgeBenchDB(b *testing.B, n int) *sqlite.DB {
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	_, err = sqlite.RawWriter(db).Exec(`WITH RECURSIVE i(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM i WHERE x < ?)
INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
SELECT 'lb', 'lokalebasen', 'enquiry_created', 'sha256:' || x, randomblob(700), 'strict',
  strftime('%Y-%m-%dT%H:%M:%f000Z', ?2, '+' || (x * 5) || ' seconds'), ?2, 'ignored' FROM i`,
		n, now.Add(-110*24*time.Hour).Format("2006-01-02 15:04:05"))
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkHeldSince measures what `syncd purge` reads to say what it left
// (HeldSince) after the first purge of 100,000 old event bodies, and on an
// outbox of -depths.ops operations (1,000,000):
//
//	go test ./internal/sqlite -run '^$' -bench HeldSince -benchtime 3x
func BenchmarkHeldSince(b *testing.B) {
	for _, name := range []string{"purged-events", "outbox"} {
		b.Run(name, func(b *testing.B) {
			var db *sqlite.DB
			if name == "outbox" {
				db = depthsOutbox(b)
			} else {
				db = purgeBenchDB(b, 100_000)
				if _, err := db.Purge(context.Background(), syncd.Retention{Events: 90 * 24 * time.Hour}); err != nil {
					b.Fatal(err)
				}
			}
			cut := db.Now().Add(-90 * 24 * time.Hour)
			b.ResetTimer()
			for range b.N {
				if _, err := db.HeldSince(context.Background(), cut); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
