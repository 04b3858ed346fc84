package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/storetest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// benchPeople opens a database holding n events of ~700 bytes, one person
// each (personN@example.com), and, withOps, each event's contact and deal
// operations (~400 bytes of properties each) and their CRM links, as a
// year unpurged holds.
func benchPeople(b *testing.B, n int, withOps bool) *DB {
	b.Helper()
	db, err := Open(context.Background(), filepath.Join(b.TempDir(), "syncd.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	w, now := db.w, syncd.FormatTime(time.Now())
	_, err = w.Exec(`WITH RECURSIVE i(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM i WHERE x < ?2)
INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
SELECT 'lb', 'lokalebasen', 'enquiry_created', 'sha256:' || x,
  CAST('{"payload":{"client":{"email":"person' || x || '@example.com","comment":"' || hex(randomblob(300)) || '"}}}' AS BLOB),
  'strict', ?1, ?1, 'ignored' FROM i`, now, n)
	if err != nil {
		b.Fatal(err)
	}
	if withOps {
		_, err = w.Exec(`INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash, mapping_file,
  mapping_hash, state, next_attempt_at, created_at, updated_at, done_at)
SELECT id, 'hubspot', k.kind, iif(k.kind = 'contact', 'person' || id || '@example.com', 'lead-' || id),
  iif(k.kind = 'contact', '', 'person' || id || '@example.com'),
  '{"email":"person' || id || '@example.com","message":"' || hex(randomblob(180)) || '"}',
  k.kind || id, 'lokalebasen.yaml', 'h', 'done', ?1, ?1, ?1, ?1
FROM events, (SELECT 'contact' AS kind UNION ALL SELECT 'deal') k ORDER BY id, k.kind`, now)
		if err == nil {
			_, err = w.Exec(`INSERT INTO crm_links (target, kind, key, crm_id, updated_at)
SELECT target, kind, key, id, updated_at FROM outbox`)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := db.Checkpoint(context.Background()); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkEraseSearch measures finding one person among 200,000 stored
// events of ~700 bytes (the search erase and export run):
//
//	go test ./internal/sqlite -run '^$' -bench EraseSearch -benchtime 3x
func BenchmarkEraseSearch(b *testing.B) {
	db := benchPeople(b, 200000, false)
	s := storetest.BenchSubject(777)
	b.ResetTimer()
	for range b.N {
		pd, err := db.PersonData(context.Background(), s)
		if err != nil || len(pd.Events) != 1 {
			b.Fatalf("%d events, %v", len(pd.Events), err)
		}
	}
}

// BenchmarkEraseHoldsWriter erases one person after another among 200,000
// events and their 400,000 operations, while beside it a small write (a
// delivery's commit) runs every millisecond. It reports how long the
// erase's write transaction held the writer (tx-ms) and the longest the
// write beside it waited during the erase (stall-ms: the write
// transaction, the checkpoint, and the read's load on the machine),
// each on average over the erases. It runs Erase's steps itself, to time
// the write transaction alone.
//
//	go test ./internal/sqlite -run '^$' -bench EraseHoldsWriter -benchtime 5x
func BenchmarkEraseHoldsWriter(b *testing.B) {
	db := benchPeople(b, 200000, true)
	ctx := context.Background()
	if _, err := db.w.Exec(`INSERT INTO state (name, value, updated_at) VALUES ('bench', '', '')`); err != nil {
		b.Fatal(err)
	}
	var held, stalls time.Duration
	b.ResetTimer()
	for i := range b.N {
		stop, longest := make(chan struct{}), make(chan time.Duration)
		go func() {
			var worst time.Duration
			for {
				select {
				case <-stop:
					longest <- worst
					return
				case <-time.After(time.Millisecond):
				}
				t0 := time.Now()
				if _, err := db.w.Exec(`UPDATE state SET updated_at = ? WHERE name = 'bench'`, t0.String()); err != nil {
					b.Error(err)
				}
				worst = max(worst, time.Since(t0))
			}
		}()
		s := storetest.BenchSubject(1000 + i)
		pd, err := db.PersonData(ctx, s)
		if err != nil {
			b.Fatal(err)
		}
		er, t0 := syncd.Erasure{At: db.Now()}, time.Now()
		err = db.writeTx(ctx, func(tx *sql.Tx) error { return db.erase(ctx, tx, s, pd, "", &er) })
		held += time.Since(t0)
		if err == nil {
			err = db.Checkpoint(ctx)
		}
		close(stop)
		stalls += <-longest
		if err != nil || er.Events != 1 || er.Ops != 2 {
			b.Fatalf("erased %d events, %d operations, %v; want 1 and 2", er.Events, er.Ops, err)
		}
	}
	b.ReportMetric(float64(held.Microseconds())/1000/float64(b.N), "tx-ms")
	b.ReportMetric(float64(stalls.Microseconds())/1000/float64(b.N), "stall-ms")
}

// BenchmarkErase erases one person after another among 200,000 events and
// their 400,000 operations, end to end as syncd erase does: the person's
// data read (what erase decides on and reports), then the erase. read-ms
// is the read's share.
//
//	go test ./internal/sqlite -run '^$' -bench 'Erase$' -benchtime 3x
func BenchmarkErase(b *testing.B) {
	db := benchPeople(b, 200000, true)
	storetest.BenchErase(b, db)
}
