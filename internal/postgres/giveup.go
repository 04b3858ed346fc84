package postgres

import (
	"context"
	"fmt"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// GiveUpOp makes operation id a dead letter when it is pending for target
// and no syncer holds it (its lease, if any, ran out): reason goes before
// its last error. A contact given up takes its deals as a dead contact
// does (the syncer dead-letters them, for want of it, when it claims
// them); RetryDeadOp brings both back. Any other operation is a
// syncd.ENotFound error, and nothing changes.
func (db *DB) GiveUpOp(ctx context.Context, id int64, target, reason string) error {
	tag, err := db.pool.Exec(ctx, `UPDATE outbox SET state = 'dead', lease_until = NULL, dead_cause = '',
		last_error = $4 || CASE WHEN last_error <> '' THEN '; last error: ' || last_error ELSE '' END, updated_at = $3
		WHERE id = $1 AND target = $2 AND state = 'pending' AND (lease_until IS NULL OR lease_until <= $3)`,
		id, target, db.now(), reason)
	if err != nil {
		return fmt.Errorf("give up op: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return syncd.Errorf(syncd.ENotFound, "no pending outbox op %d for %s that no syncer holds", id, target)
	}
	return nil
}
