package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// DropSupersededOps removes, for each of ops (the operations event eventID
// maps to now, already in the outbox), the event's older operations on the
// same record (target, kind and key) with other properties that never
// reached the CRM: dead ones, and pending ones no syncer holds. A replay
// after a mapping fix calls it: the older operation on a record is sent
// first, so one the CRM refused would otherwise be sent again ahead of its
// fix, pause the adapter or die again, for ever. It returns the ids removed.
func (db *DB) DropSupersededOps(ctx context.Context, eventID int64, ops []syncd.Op) ([]int64, error) {
	var ids []int64
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		for _, op := range ops {
			_, hash := op.StoredProps()
			rows, err := tx.QueryContext(ctx, `DELETE FROM outbox WHERE event_id = ?1 AND target = ?2 AND kind = ?3
				AND key = ?4 AND props_hash <> ?5
				AND (state = 'dead' OR (state = 'pending' AND (lease_until IS NULL OR lease_until <= ?6)))
				AND id < (SELECT id FROM outbox WHERE target = ?2 AND kind = ?3 AND key = ?4 AND props_hash = ?5)
				RETURNING id`, eventID, op.Target, string(op.Kind), op.Key, hash, now)
			if err != nil {
				return err
			}
			if ids, err = appendIDs(rows, ids); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("drop superseded ops: %w", err)
	}
	return ids, nil
}

// appendIDs appends the ids rows holds to ids and closes rows.
func appendIDs(rows *sql.Rows, ids []int64) ([]int64, error) {
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return ids, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
