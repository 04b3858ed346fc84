package sqlite_test

import (
	"context"
	"flag"
	"testing"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

var pendingOps = flag.Int("pending.ops", 100_000, "operations of the -depths.ops that BenchmarkPendingList makes pending")

// wholePendingPage is the query a page of `syncd outbox list -state
// pending` ran before its filters were written from those set only and its
// ids came from the index alone (?5 the oldest listed, ?6 the page): the
// baseline of BenchmarkPendingList. With ?2 the target and ?6 -1, it is
// what `syncd sync` read to say what is left.
const wholePendingPage = `SELECT id, event_id, target, kind, key, contact_key, properties, mapping_file, mapping_hash,
	state, attempts, next_attempt_at, lease_until, last_error, crm_id, created_at, updated_at, key_kind, dead_cause
	FROM outbox INDEXED BY outbox_claim WHERE state = 'pending' AND (?1 = '' OR state = ?1) AND (?2 = '' OR target = ?2)
	AND (?3 = '' OR kind = ?3) AND id > ?4 AND id < ?5 ORDER BY id DESC LIMIT ?6`

// BenchmarkPendingList times what `syncd outbox list -state pending -limit
// 0` reads (every pending operation, 500 a time, newest first, and what
// they wait behind, asked one by one as before or once a page) and what
// `syncd sync` reads to say how many are left and when the next is due,
// over the -depths.ops operations of BenchmarkOutboxDepths, -pending.ops
// of them pending (every n-th, none due yet), against the queries they ran
// before, in the same run:
//
//	go test ./internal/sqlite -run '^$' -bench PendingList -benchtime 1x
func BenchmarkPendingList(b *testing.B) {
	ctx := context.Background()
	db := depthsOutbox(b)
	every := *depthOps / *pendingOps
	_, err := sqlite.RawWriter(db).ExecContext(ctx, `UPDATE outbox SET state = CASE WHEN id % ?1 = 0 THEN 'pending' ELSE 'done' END,
		next_attempt_at = '2099-01-01T00:00:00.000000Z'`, every)
	if err != nil {
		b.Fatal(err)
	}
	pending := *depthOps / every
	b.Run("list/whole-rows", func(b *testing.B) {
		for b.Loop() {
			pages(b, pending, func(before int64) []int64 {
				if before == 0 {
					before = 1<<63 - 1
				}
				return ids(b, db, wholePendingPage, string(syncd.OpPending), "", "", 0, before, 500)
			})
		}
	})
	b.Run("list/ids-first", func(b *testing.B) {
		for b.Loop() {
			pages(b, pending, func(before int64) []int64 {
				ops, err := db.ListOps(ctx, sqlite.OpFilter{State: syncd.OpPending, Newest: true, BeforeID: before, Limit: 500})
				if err != nil {
					b.Fatal(err)
				}
				out := make([]int64, len(ops))
				for i, op := range ops {
					out[i] = op.ID
				}
				return out
			})
		}
	})
	b.Run("waits/one-by-one", func(b *testing.B) { // what the listing asked before, for each operation
		for b.Loop() {
			pendingPages(b, db, pending, func(ops []syncd.Op) {
				for _, op := range ops {
					if _, _, err := db.WaitsFor(ctx, op); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
	b.Run("waits/a-page", func(b *testing.B) { // what it asks now, once a page
		for b.Loop() {
			pendingPages(b, db, pending, func(ops []syncd.Op) {
				if _, err := db.WaitsForEach(ctx, ops); err != nil {
					b.Fatal(err)
				}
			})
		}
	})
	b.Run("left/every-row", func(b *testing.B) {
		for b.Loop() {
			if n := len(ids(b, db, wholePendingPage, string(syncd.OpPending), "hubspot", "", 0, 1<<63-1, -1)); n != pending {
				b.Fatalf("%d pending read, want %d", n, pending)
			}
		}
	})
	b.Run("left/counted", func(b *testing.B) {
		for b.Loop() {
			if left, err := db.PendingLeft(ctx, "hubspot"); err != nil || left.Count != pending || left.NextDue.IsZero() {
				b.Fatalf("pending left %+v, %v; want %d", left, err, pending)
			}
		}
	})
}

// pendingPages lists db's pending operations as the listing does, 500 a
// time, newest first, hands each page to each, and checks they were want.
func pendingPages(b *testing.B, db *sqlite.DB, want int, each func(ops []syncd.Op)) {
	pages(b, want, func(before int64) []int64 {
		ops, err := db.ListOps(context.Background(), sqlite.OpFilter{State: syncd.OpPending, Newest: true, BeforeID: before, Limit: 500})
		if err != nil {
			b.Fatal(err)
		}
		each(ops)
		out := make([]int64, len(ops))
		for i, op := range ops {
			out[i] = op.ID
		}
		return out
	})
}

// pages reads pages from page (given the oldest id listed, 0 at first)
// until one is empty, and checks they held want ids.
func pages(b *testing.B, want int, page func(before int64) []int64) {
	var n int
	var before int64
	for {
		got := page(before)
		if len(got) == 0 {
			break
		}
		n, before = n+len(got), got[len(got)-1]
	}
	if n != want {
		b.Fatalf("%d pending listed, want %d", n, want)
	}
}

// ids runs query on db's writer connection and returns the first column
// of each row, reading every row whole as a listing does.
func ids(b *testing.B, db *sqlite.DB, query string, args ...any) []int64 {
	rows, err := sqlite.RawWriter(db).QueryContext(context.Background(), query, args...)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	var out []int64
	for rows.Next() {
		var id int64
		vals[0] = &id
		for i := 1; i < len(vals); i++ {
			vals[i] = new(any)
		}
		if err := rows.Scan(vals...); err != nil {
			b.Fatal(err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return out
}
