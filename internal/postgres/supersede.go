package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

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
	err := db.tx(ctx, "drop superseded ops", func(tx pgx.Tx) error {
		now := db.now()
		for _, op := range ops {
			_, hash := op.StoredProps()
			rows, err := tx.Query(ctx, `DELETE FROM outbox WHERE event_id = $1 AND target = $2 AND kind = $3
				AND key = $4 AND props_hash <> $5
				AND (state = 'dead' OR (state = 'pending' AND (lease_until IS NULL OR lease_until <= $6)))
				AND id < (SELECT id FROM outbox WHERE target = $2 AND kind = $3 AND key = $4 AND props_hash = $5)
				RETURNING id`, eventID, op.Target, string(op.Kind), op.Key, hash, now)
			if err != nil {
				return err
			}
			got, err := pgx.CollectRows(rows, pgx.RowTo[int64])
			if err != nil {
				return err
			}
			ids = append(ids, got...)
		}
		return nil
	})
	return ids, err
}
