package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestOutboxDepthsReadNoDoneOperation: /metrics (every scrape, on every
// instance) and syncd status gave the done operations as all of them less
// the pending and the dead, all of them counted: a walk of an index of
// every operation the retention keeps, at every scrape (148-236 ms at
// 1,000,000, growing with them: BenchmarkOutboxDepths). The done ones are
// counted as they change (migration 0018), so the depths read of the
// outbox no more index entries or rows than there are pending and dead
// operations (and a seek or two a target), however many are done; the
// figures are those of a count of the table in the same snapshot.
func TestOutboxDepthsReadNoDoneOperation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, conn := seededConn(t, seedEvents, seedOps("now() - e.id * interval '1 second'", "now()"), `VACUUM ANALYZE outbox`,
		`SET max_parallel_workers_per_gather = 0`) // a worker's reads are not counted in this transaction's
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	got, err := outboxDepths(ctx, tx, time.Now())
	if err != nil || len(got) != 1 {
		t.Fatalf("depths %+v, %v", got, err)
	}
	var read, pending, done, dead int
	err = tx.QueryRow(ctx, `SELECT pg_stat_get_xact_tuples_returned('outbox'::regclass) +
		(SELECT sum(pg_stat_get_xact_tuples_returned(indexrelid)) FROM pg_index WHERE indrelid = 'outbox'::regclass)`).Scan(&read)
	if err != nil {
		t.Fatal(err)
	}
	err = tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'done'),
		count(*) FILTER (WHERE state = 'dead') FROM outbox`).Scan(&pending, &done, &dead)
	if err != nil {
		t.Fatal(err)
	}
	if read > pending+dead+4 {
		t.Errorf("the depths read %d operations (or index entries) of the outbox; %d are pending and %d dead (and %d done)",
			read, pending, dead, done)
	}
	if got[0].Pending != pending || got[0].Done != done || got[0].Dead != dead {
		t.Errorf("depths %+v; the table holds %d pending, %d done, %d dead", got[0], pending, done, dead)
	}
}

// TestOutboxDoneCountHoldsWhileInstancesWrite: the done operations'
// count (outbox_done, kept by a trigger on every statement that writes
// operations) is that of the table in every snapshot, while several
// sessions at once insert operations done and pending, finish pending
// ones, kill, revive and delete done ones, for two targets, some in
// REPEATABLE READ transactions (which add their counts but leave the
// folding to others) and some rolled back; a TRUNCATE empties it. None
// of them waits for another's count: each statement adds a row and the
// one that takes the advisory lock folds them, so they stay few.
func TestOutboxDoneCountHoldsWhileInstancesWrite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, conn := seededConn(t, seedEvents, seedOps("now()", "now()"))
	writes := []string{
		`INSERT INTO outbox (event_id, target, kind, key, properties, props_hash, mapping_file, mapping_hash, state,
			next_attempt_at, created_at, updated_at)
		SELECT e.id, $1, 'contact', 'w' || $2::int || '-' || e.id, 'p', 'h', 'eaf.yaml', 'h',
			CASE WHEN e.id % 3 = 0 THEN 'pending' ELSE 'done' END, now(), now(), now()
		FROM events e WHERE e.id % 997 = $2::int % 997`,
		`UPDATE outbox SET state = 'done' WHERE id IN (SELECT id FROM outbox WHERE target = $1 AND state = 'pending'
			AND id % 13 = $2::int % 13 LIMIT 20 FOR UPDATE SKIP LOCKED)`,
		`UPDATE outbox SET state = 'dead' WHERE id IN (SELECT id FROM outbox WHERE target = $1 AND state = 'done'
			AND id % 17 = $2::int % 17 LIMIT 10 FOR UPDATE SKIP LOCKED)`,
		`UPDATE outbox SET state = 'done' WHERE id IN (SELECT id FROM outbox WHERE target = $1 AND state = 'dead'
			AND id % 7 = $2::int % 7 LIMIT 5 FOR UPDATE SKIP LOCKED)`,
		`DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE target = $1 AND state = 'done'
			AND id % 11 = $2::int % 11 LIMIT 30 FOR UPDATE SKIP LOCKED)`,
		`UPDATE outbox SET attempts = attempts + 1 WHERE id IN (SELECT id FROM outbox WHERE target = $1
			AND id % 19 = $2::int % 19 LIMIT 50 FOR UPDATE SKIP LOCKED)`, // no state changes: no count
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			c, err := pgx.Connect(ctx, db.cfg.ConnString())
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close(ctx)
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				opts := pgx.TxOptions{}
				if w == 3 {
					opts.IsoLevel = pgx.RepeatableRead
				}
				tx, err := c.BeginTx(ctx, opts)
				if err != nil {
					t.Error(err)
					return
				}
				for j := range 1 + r.IntN(3) {
					target := []string{"hubspot", "pipedrive"}[r.IntN(2)]
					if _, err = tx.Exec(ctx, writes[r.IntN(len(writes))], target, w*1000000+i*10+j); err != nil {
						break
					}
				}
				if err == nil && r.IntN(5) > 0 {
					err = tx.Commit(ctx)
				} else {
					tx.Rollback(ctx)
				}
				if err != nil && !serializationFailure(err) {
					t.Error(err)
					return
				}
			}
		})
	}
	check := func(when string) {
		t.Helper()
		tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		rows, _ := tx.Query(ctx, `SELECT t.target, coalesce(c.n, 0), coalesce(k.n, 0)
			FROM (VALUES ('hubspot'), ('pipedrive')) t(target)
			LEFT JOIN (SELECT target, count(*) n FROM outbox WHERE state = 'done' GROUP BY target) c USING (target)
			LEFT JOIN (SELECT target, sum(n)::bigint n FROM outbox_done GROUP BY target) k USING (target)`)
		var target string
		var table, counted int
		_, err = pgx.ForEachRow(rows, []any{&target, &table, &counted}, func() error {
			if table != counted {
				return fmt.Errorf("%s: %s has %d done operations, outbox_done counts %d", when, target, table, counted)
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	}
	for i := range 40 {
		check(fmt.Sprintf("while they write (%d)", i))
		time.Sleep(25 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	check("once they stopped")
	var rows int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM outbox_done`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	// the rows of the statements that found a fold under way, or ran in
	// REPEATABLE READ, wait for the next that changes the count
	if _, err := conn.Exec(ctx, writes[0], "hubspot", 9999999); err != nil {
		t.Fatal(err)
	}
	check("after one more write")
	var folded int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM outbox_done`).Scan(&folded); err != nil || folded != 2 {
		t.Errorf("outbox_done holds %d rows (%v) for 2 targets after one more write, %d before it; want them folded", folded, err, rows)
	}
	t.Logf("%d rows in outbox_done once the writes stopped, %d after one more", rows, folded)
	got, err := db.OutboxDepths(ctx)
	if err != nil || len(got) != 2 {
		t.Fatalf("depths %+v, %v", got, err)
	}
	var want syncd.OutboxDepth
	for _, d := range got {
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE target = $1 AND state = 'done'`, d.Target).Scan(&want.Done); err != nil {
			t.Fatal(err)
		}
		if d.Done != want.Done {
			t.Errorf("%s: %d done in the depths, %d in the table", d.Target, d.Done, want.Done)
		}
	}
	if _, err := conn.Exec(ctx, `TRUNCATE outbox`); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM outbox_done`).Scan(&rows); err != nil || rows != 0 {
		t.Errorf("outbox_done holds %d rows (%v) once the outbox is truncated", rows, err)
	}
}

// serializationFailure reports whether err is PostgreSQL's could not
// serialize access (a REPEATABLE READ writer's row changed since its
// snapshot): the writer's transaction is rolled back, as syncd's never are
// (they read committed).
func serializationFailure(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "40001"
}
