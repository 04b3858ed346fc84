package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// GiveUpOp makes operation id a dead letter given up by hand
// (syncd.DeadGivenUp) when it is pending for target and no syncer holds it
// (its lease, if any, ran out): reason goes before its last error. A
// contact without a CRM id takes its pending deals no syncer holds with it
// (they would die for want of it: given up with it, they are no alarm),
// whose ids it returns; RetryDeadOp brings them back with it. Any other
// operation is a syncd.ENotFound error, and nothing changes. A CRM
// erasure of an earlier account (syncd.DeadOtherAccount, dead since syncd
// crm forget-links) is given up too, as done by hand there: it becomes
// syncd.DeadOtherAccountGivenUp, which no retry sends either.
func (db *DB) GiveUpOp(ctx context.Context, id int64, target, reason string) ([]int64, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("give up op: %w", err)
	}
	defer tx.Rollback()
	now := db.now()
	var kind, key string
	err = tx.QueryRowContext(ctx, `UPDATE outbox SET state = 'dead', lease_until = NULL,
		dead_cause = CASE WHEN state = 'dead' THEN ?6 ELSE ?5 END,
		last_error = ?4 || CASE WHEN last_error <> '' THEN '; last error: ' || last_error ELSE '' END, updated_at = ?3
		WHERE id = ?1 AND target = ?2 AND (state = 'pending' AND (lease_until IS NULL OR lease_until <= ?3)
		  OR state = 'dead' AND dead_cause = ?7)
		RETURNING kind, key`, id, target, now, reason, string(syncd.DeadGivenUp),
		string(syncd.DeadOtherAccountGivenUp), string(syncd.DeadOtherAccount)).Scan(&kind, &key)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, syncd.Errorf(syncd.ENotFound, "no pending outbox op %d for %s that no syncer holds, nor such a dead erasure", id, target)
	}
	if err != nil {
		return nil, fmt.Errorf("give up op: %w", err)
	}
	var with []int64
	if kind == string(syncd.RecordContact) {
		with, err = idsOf(ctx, tx, `UPDATE outbox SET state = 'dead', lease_until = NULL, dead_cause = ?5,
			last_error = ?4 || ' with its contact (operation ' || ?6 || ')', updated_at = ?3
			WHERE target = ?1 AND kind = 'deal' AND contact_key = ?2 AND state = 'pending'
			  AND (lease_until IS NULL OR lease_until <= ?3)
			  AND NOT EXISTS (SELECT 1 FROM crm_links WHERE target = ?1 AND kind = 'contact' AND key = ?2)
			RETURNING id`, target, key, now, reason, string(syncd.DeadGivenUp), id)
		if err != nil {
			return nil, fmt.Errorf("give up op: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("give up op: %w", err)
	}
	return with, nil
}

// idsOf runs q, an UPDATE ... RETURNING id, in tx and returns the ids in
// order.
func idsOf(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]int64, error) {
	ids, err := column[int64](ctx, tx, q, args...)
	if err != nil {
		return nil, err
	}
	slices.Sort(ids)
	return ids, nil
}
