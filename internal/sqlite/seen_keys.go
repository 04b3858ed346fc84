package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// The duplicate window beyond the latest keys lives in seen_keys_new (the
// latest seals) and seen_keys (the rest, see seen_merge.go): one row of
// 64-bit hash, event id and receipt second per key, keyed by the hash.
// An index on events' keys would dirty one random page per event in every
// intake commit, the largest cost of durable intake; instead the writer
// keeps the latest keys in memory and the sealer writes them here in sorted
// bulk, each leaf page touched about once per seal, in transactions of
// their own that neither wait for the disk nor run inside an intake
// commit (the write gate puts them behind intake). The rows derive from
// events, so a seal a crash or power cut took back is made again at start.

const (
	// defaultSealEvery is how many keys the writer keeps in memory before
	// sealing them.
	defaultSealEvery = 1 << 16
	// sealChunk is how many keys one seal transaction writes: a range of
	// hashes, so that intake waits for one short transaction at most.
	sealChunk = 1024
	// sweepParts is how many slices of the hash range the sweeper deletes
	// expired rows from, one a minute: the whole table once a day.
	sweepParts = 24 * 60
)

// sealJob is a set of keys to write to seen_keys; every event up to
// through is then sealed. keys is read-only while the job runs.
type sealJob struct {
	keys    map[seenKey]seenEntry
	through int64
	hash    func(seenKey) int64
}

type sealRow struct{ hash, id, at int64 }

// sealer runs seals handed over on jobs, telling done of each one finished,
// and sweeps a slice of seen_keys every minute, until ctx ends. A failed
// seal is tried again a second later; its keys stay in memory meanwhile.
func (in *Intake) sealer(ctx context.Context, jobs <-chan sealJob, done chan<- struct{}) {
	sweep := time.NewTicker(time.Minute)
	defer sweep.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-sweep.C:
			in.report(in.sweep(ctx, in.db.Now(), int(now.Unix()/60%sweepParts)))
		case job := <-jobs:
			for err := in.seal(ctx, job); err != nil; err = in.seal(ctx, job) {
				in.report(err)
				select {
				case <-ctx.Done():
					return
				case <-time.After(time.Second):
				}
			}
			done <- struct{}{}
		}
	}
}

// report tells the database's OnError of a sealer failure (not when the
// writer is stopping).
func (in *Intake) report(err error) {
	if err != nil && !errors.Is(err, context.Canceled) && in.db.OnError != nil {
		in.db.OnError(err)
	}
}

// seal writes job's keys to seen_keys_new in hash order, sealChunk rows
// per transaction, and moves the mark in the last one; every mergeEvery
// seals, seen_keys_new is merged into seen_keys. A key already there
// points at the later of its two events (the earlier one left the window
// or the row is a collision). A seal cut short leaves the mark where it was:
// the next start reads its keys from events again and seals them again.
func (in *Intake) seal(ctx context.Context, job sealJob) error {
	rows := make([]sealRow, 0, len(job.keys))
	for k, e := range job.keys {
		rows = append(rows, sealRow{hash: job.hash(k), id: e.id, at: e.at / int64(time.Second)})
	}
	slices.SortFunc(rows, func(a, b sealRow) int { return cmp.Compare(a.hash, b.hash) })
	for i := 0; i == 0 || i < len(rows); i += sealChunk {
		last := i+sealChunk >= len(rows)
		if err := in.sealChunk(ctx, rows[i:min(i+sealChunk, len(rows))], last, job.through); err != nil {
			return fmt.Errorf("seal idempotency keys: %w", err)
		}
	}
	return in.mergeIfDue(ctx)
}

func (in *Intake) sealChunk(ctx context.Context, rows []sealRow, last bool, through int64) error {
	ctx, err := batchContext(ctx) // no goroutine per key inserted
	if err != nil {
		return err
	}
	tx, err := in.db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO seen_keys_new (hash, event_id, received) VALUES (?, ?, ?)
		ON CONFLICT (hash) DO UPDATE SET event_id = excluded.event_id, received = excluded.received
		WHERE excluded.event_id > seen_keys_new.event_id`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, r := range rows {
		if _, err := ins.ExecContext(ctx, r.hash, r.id, r.at); err != nil {
			return err
		}
	}
	if last {
		// The mark only moves up: a repair from the command line may seal too.
		_, err := tx.ExecContext(ctx, `INSERT INTO state (name, value, updated_at) VALUES (?1, ?2, ?3)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
			WHERE CAST(excluded.value AS INTEGER) > CAST(state.value AS INTEGER)`, sealedMark, markValue(through), in.db.now())
		if err != nil {
			return err
		}
	}
	return tx.Commit()
}

// sweep deletes, in slice part of the hash range, the rows whose event was
// received before the window: they can no longer make a duplicate.
func (in *Intake) sweep(ctx context.Context, now time.Time, part int) error {
	lo, hi := hashRange(part, sweepParts)
	oldest := now.Add(-in.window).Unix() - 1 // whole seconds: keep the boundary's
	tx, err := in.db.w.BeginTx(ctx, nil)     // a transaction, to pass the write gate behind intake
	if err != nil {
		return fmt.Errorf("sweep idempotency keys: %w", err)
	}
	defer tx.Rollback()
	for _, table := range []string{"seen_keys", "seen_keys_new"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE hash BETWEEN ? AND ? AND received < ?`,
			lo, hi, oldest); err != nil {
			return fmt.Errorf("sweep idempotency keys: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sweep idempotency keys: %w", err)
	}
	return nil
}

// prefetchSealed reads, in one query, the seen_keys rows of the batch's
// keys that are not in memory, for findSealed: one statement per batch
// rather than per delivery.
func (in *Intake) prefetchSealed(ctx context.Context, tx *sql.Tx, batch []*intakeReq, now time.Time) error {
	since := now.Add(-in.window)
	list := []byte{'['}
	for _, r := range batch {
		if r.in.Quarantine {
			continue
		}
		if !in.seen.has(r.key, since) {
			list = strconv.AppendInt(append(list, ','), in.seen.hash(r.key), 10)
		}
	}
	if len(list) > 1 {
		list[1] = ' ' // the first comma
	}
	rows, err := tx.StmtContext(ctx, in.stmts.findSealedIn).QueryContext(ctx, string(append(list, ']')))
	if err != nil {
		return fmt.Errorf("find idempotency keys: %w", err)
	}
	defer rows.Close()
	in.prefetched = map[int64]sealRow{}
	for rows.Next() {
		var r sealRow
		if err := rows.Scan(&r.hash, &r.id, &r.at); err != nil {
			return fmt.Errorf("find idempotency keys: %w", err)
		}
		if r.id > in.prefetched[r.hash].id { // in both tables: the later event
			in.prefetched[r.hash] = r
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find idempotency keys: %w", err)
	}
	return nil
}

// findSealed looks k up in seen_keys and seen_keys_new (among the batch's
// prefetched rows, or on tx) and confirms a row in the window by reading its event: a 64-bit
// hash shared by two keys is not a duplicate.
func (in *Intake) findSealed(ctx context.Context, tx *sql.Tx, k seenKey, source, key string, since time.Time) (int64, bool, error) {
	r, ok := in.prefetched[in.seen.hash(k)]
	if in.prefetched == nil {
		err := tx.StmtContext(ctx, in.stmts.findSealed).QueryRowContext(ctx, in.seen.hash(k)).Scan(&r.id, &r.at)
		if ok = err == nil; err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, false, fmt.Errorf("find idempotency key: %w", err)
		}
	}
	if !ok || r.at < since.Unix()-1 {
		return 0, false, nil
	}
	ok, err := sameKey(ctx, tx, r.id, source, key, since)
	return r.id, ok, err
}

// sameKey reports whether event id has source and key and was received at
// or after since.
func sameKey(ctx context.Context, q queryer, id int64, source, key string, since time.Time) (bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT source, idem_key, received_at FROM events WHERE id = ?`, id)
	if err != nil {
		return false, fmt.Errorf("confirm idempotency key: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		return false, rows.Err()
	}
	var src, k, received string
	if err := rows.Scan(&src, &k, &received); err != nil {
		return false, fmt.Errorf("confirm idempotency key: %w", err)
	}
	return src == source && k == key && received >= fmtTime(since), nil
}
