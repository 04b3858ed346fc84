package sqlite

import (
	"context"
	"fmt"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// requeueReason is the last error of a contact operation made pending
// again because the CRM no longer has its record.
const requeueReason = "its CRM record is gone (deleted in the CRM): written again"

// RequeueContact is for a contact the CRM no longer has (deleted there):
// in one transaction it forgets the contact's CRM id and makes its newest
// delivered operation pending again, due now, so that the contact is
// written anew before the deals waiting for it. Nothing is revived when an
// operation of the contact is already pending. It reports whether an
// operation was revived.
func (db *DB) RequeueContact(ctx context.Context, target, key string) (bool, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("requeue contact: %w", err)
	}
	defer tx.Rollback()
	now := db.now()
	if err := db.linkSet(ctx, tx, now, target, syncd.RecordContact, key, "", ""); err != nil {
		return false, fmt.Errorf("requeue contact: %w", err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?1,
		lease_until = NULL, last_error = ?4, crm_id = '', updated_at = ?1
		WHERE id = (SELECT id FROM outbox WHERE target = ?2 AND kind = 'contact' AND key = ?3 AND state = 'done'
		            ORDER BY id DESC LIMIT 1)
		AND NOT EXISTS (SELECT 1 FROM outbox INDEXED BY outbox_once
		            WHERE target = ?2 AND kind = 'contact' AND key = ?3 AND state = 'pending')`,
		now, target, key, requeueReason)
	if err != nil {
		return false, fmt.Errorf("requeue contact: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("requeue contact: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("requeue contact: %w", err)
	}
	return n > 0, nil
}
