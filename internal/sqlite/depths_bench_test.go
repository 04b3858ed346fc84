package sqlite_test

import (
	"context"
	"flag"
	"testing"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

var depthOps = flag.Int("depths.ops", 1_000_000, "operations BenchmarkOutboxDepths puts in the outbox")

// wholeTableDepths is the query OutboxDepths ran before it read the partial
// indexes: the baseline of BenchmarkOutboxDepths.
const wholeTableDepths = `SELECT target,
	SUM(state = 'pending'), SUM(state = 'done'), SUM(state = 'dead'),
	MIN(CASE WHEN state = 'pending' THEN created_at END)
	FROM outbox GROUP BY target ORDER BY target`

// wholeTableDead are the queries ListOps and CountOps ran for a state
// before they read its partial index: the baseline of BenchmarkDeadLetters.
const (
	wholeTableDeadList  = `SELECT id FROM outbox WHERE (?1 = '' OR state = ?1) AND (?2 = '' OR target = ?2) AND (?3 = '' OR kind = ?3) AND id > ?4 ORDER BY id DESC LIMIT 100`
	wholeTableDeadCount = `SELECT count(*) FROM outbox WHERE (?1 = '' OR state = ?1) AND (?2 = '' OR target = ?2) AND (?3 = '' OR kind = ?3) AND id > ?4`
)

// depthsOutbox is a database whose outbox holds -depths.ops operations,
// 1% of them pending and 0.1% dead; it closes with b.
func depthsOutbox(b *testing.B) *sqlite.DB {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, b.TempDir()+"/syncd.db", sqlite.Options{DeferSync: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	ev := opTestEvent(b, db)
	_, err = sqlite.RawWriter(db).ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
		INSERT INTO outbox (event_id, target, kind, key, properties, props_hash, mapping_file, mapping_hash,
			state, next_attempt_at, created_at, updated_at)
		SELECT ?1, 'hubspot', 'contact', 'lead' || i || '@example.com', '{"email":"lead' || i || '@example.com"}',
			printf('%064d', i), 'lokalebasen.yaml', 'h',
			CASE WHEN i % 100 = 0 THEN 'pending' WHEN i % 1000 = 1 THEN 'dead' ELSE 'done' END,
			'2026-11-30T09:00:00.000000000Z', '2026-11-30T09:00:00.000000000Z', '2026-11-30T09:00:00.000000000Z'
		FROM n`, ev, *depthOps)
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// drain runs query on db's writer connection and reads every row.
func drain(b *testing.B, db *sqlite.DB, query string, args ...any) {
	rows, err := sqlite.RawWriter(db).QueryContext(context.Background(), query, args...)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
	}
	rows.Close()
}

// BenchmarkOutboxDepths times OutboxDepths (every metrics scrape, `syncd
// status`) over an outbox of -depths.ops operations, 1% of them pending and
// 0.1% dead, against the whole-table query it replaced, in the same run:
//
//	go test ./internal/sqlite -run '^$' -bench OutboxDepths -benchtime 10x
func BenchmarkOutboxDepths(b *testing.B) {
	ctx := context.Background()
	db := depthsOutbox(b)
	b.Run("whole-table", func(b *testing.B) {
		for b.Loop() {
			drain(b, db, wholeTableDepths)
		}
	})
	b.Run("indexes", func(b *testing.B) {
		for b.Loop() {
			ds, err := db.OutboxDepths(ctx)
			if err != nil || len(ds) != 1 || ds[0].Pending+ds[0].Done+ds[0].Dead != *depthOps {
				b.Fatalf("depths %+v, %v", ds, err)
			}
		}
	})
}

// BenchmarkDeadLetters times what `syncd outbox list -state dead` reads
// (the newest 100 dead letters and their count) over the same outbox,
// against the queries that walked the table, in the same run:
//
//	go test ./internal/sqlite -run '^$' -bench DeadLetters -benchtime 10x
func BenchmarkDeadLetters(b *testing.B) {
	ctx := context.Background()
	db := depthsOutbox(b)
	args := []any{string(syncd.OpDead), "", "", 0}
	b.Run("whole-table", func(b *testing.B) {
		for b.Loop() {
			drain(b, db, wholeTableDeadList, args...)
			drain(b, db, wholeTableDeadCount, args...)
		}
	})
	b.Run("index", func(b *testing.B) {
		f := sqlite.OpFilter{State: syncd.OpDead, Newest: true, Limit: 100}
		dead := (*depthOps + 999) / 1000 // operations 1, 1001, 2001, ...
		for b.Loop() {
			ops, err := db.ListOps(ctx, f)
			if err != nil || len(ops) != min(dead, 100) {
				b.Fatalf("%d dead letters listed, %v", len(ops), err)
			}
			if n, err := db.CountOps(ctx, f); err != nil || n != dead {
				b.Fatalf("%d dead letters counted, %v", n, err)
			}
		}
	})
}

// wholeTableCount is the query CountOps ran for every state or the done
// ones (?1 the state, ?5 the oldest listed): the baseline of
// BenchmarkOutboxListCount.
const wholeTableCount = `SELECT count(*) FROM outbox WHERE (?1 = '' OR state = ?1) AND (?2 = '' OR target = ?2) AND (?3 = '' OR kind = ?3) AND id > ?4 AND id < ?5`

// BenchmarkOutboxListCount times the count under `syncd outbox list` and
// `outbox list -state done` (the older operations left out of the newest
// 100) over the -depths.ops operations of BenchmarkOutboxDepths, against
// the query that walked the table, in the same run:
//
//	go test ./internal/sqlite -run '^$' -bench OutboxListCount -benchtime 10x
func BenchmarkOutboxListCount(b *testing.B) {
	ctx := context.Background()
	db := depthsOutbox(b)
	before := int64(*depthOps - 100)
	states := []syncd.OpState{"", syncd.OpDone}
	b.Run("whole-table", func(b *testing.B) {
		for b.Loop() {
			for _, st := range states {
				drain(b, db, wholeTableCount, string(st), "", "", 0, before)
			}
		}
	})
	b.Run("indexes", func(b *testing.B) {
		for b.Loop() {
			for _, st := range states {
				n, err := db.CountOps(ctx, sqlite.OpFilter{State: st, BeforeID: before})
				if err != nil || n == 0 {
					b.Fatalf("%d %q operations counted, %v", n, st, err)
				}
			}
		}
	})
}
