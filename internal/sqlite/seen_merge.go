package sqlite

import (
	"context"
	"fmt"
	"math"
)

// mergeEvery is how many seals seen_keys_new takes before it is merged
// into seen_keys. A seal rewrites every page of its table that its keys
// fall in, so seals go to the small table, and the large one is rewritten
// once per mergeEvery seals: at 1,000,000 keys a day, about a quarter of
// the bytes sealing straight into seen_keys would write.
const mergeEvery = 8

// mergeIfDue merges seen_keys_new into seen_keys once it holds mergeEvery
// seals. After a start, its seals are counted from its rows.
func (in *Intake) mergeIfDue(ctx context.Context) error {
	if in.unmerged < 0 { // the rows of this seal included
		var n int
		if err := in.db.w.QueryRowContext(ctx, `SELECT count(*) FROM seen_keys_new`).Scan(&n); err != nil {
			return fmt.Errorf("merge idempotency keys: %w", err)
		}
		in.unmerged = (n + in.sealEvery - 1) / max(in.sealEvery, 1)
	} else {
		in.unmerged++
	}
	if in.unmerged < mergeEvery {
		return nil
	}
	if err := in.merge(ctx); err != nil {
		return fmt.Errorf("merge idempotency keys: %w", err)
	}
	in.unmerged = 0
	return nil
}

// merge moves every row of seen_keys_new into seen_keys, a range of hashes
// of about sealChunk rows per transaction: each row is in one table or the
// other at any time, so a merge cut short is taken up again by the next.
func (in *Intake) merge(ctx context.Context) error {
	var n int
	if err := in.db.w.QueryRowContext(ctx, `SELECT count(*) FROM seen_keys_new`).Scan(&n); err != nil {
		return err
	}
	parts := max(1, n/sealChunk)
	for part := range parts {
		lo, hi := hashRange(part, parts)
		if err := in.mergePart(ctx, lo, hi); err != nil {
			return err
		}
	}
	return nil
}

func (in *Intake) mergePart(ctx context.Context, lo, hi int64) error {
	tx, err := in.db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `INSERT INTO seen_keys (hash, event_id, received)
		SELECT hash, event_id, received FROM seen_keys_new WHERE hash BETWEEN ?1 AND ?2 ORDER BY hash
		ON CONFLICT (hash) DO UPDATE SET event_id = excluded.event_id, received = excluded.received
		WHERE excluded.event_id > seen_keys.event_id`, lo, hi)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM seen_keys_new WHERE hash BETWEEN ? AND ?`, lo, hi); err != nil {
		return err
	}
	return tx.Commit()
}

// hashRange is slice part of parts of the 64-bit hashes, lowest first.
func hashRange(part, parts int) (lo, hi int64) {
	step := math.MaxUint64 / uint64(parts)
	lo, hi = int64(uint64(part)*step^1<<63), int64(uint64(part+1)*step^1<<63)-1
	if part == parts-1 {
		hi = math.MaxInt64
	}
	return lo, hi
}
