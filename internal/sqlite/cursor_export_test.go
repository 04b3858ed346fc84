package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// RecordCursorFloor writes, in one transaction, what an outbox design that
// derives operations from events by a cursor would still write per lead
// once its operations are done in the CRM: each event's mapping state and a
// CRM link per operation (the event's id as the CRM id), and no operation
// rows. It exists only for BenchmarkOutboxCycle's comparison.
func (db *DB) RecordCursorFloor(ctx context.Context, ms []syncd.Mapping) error {
	return db.recordFloor(ctx, ms, nil)
}

// RecordSentFloor is the other variant, also only for BenchmarkOutboxCycle:
// as RecordCursorFloor, with each operation inserted as done (as the syncer
// would have finished it): the outbox keeps its history rows, without the
// claim and the finish.
func (db *DB) RecordSentFloor(ctx context.Context, ms []syncd.Mapping) error {
	return db.recordFloor(ctx, ms, func(tx *sql.Tx) (*sql.Stmt, error) {
		return tx.PrepareContext(ctx, `INSERT INTO outbox
			(event_id, target, kind, key, contact_key, properties, props_hash, mapping_file, mapping_hash,
			 state, attempts, next_attempt_at, created_at, updated_at, key_kind, crm_id, done_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'done', 1, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (target, kind, key, props_hash) DO NOTHING`)
	})
}

// recordFloor records each event's state and a link per operation in one
// transaction, and, with doneRows, each operation by the statement it
// prepares.
func (db *DB) recordFloor(ctx context.Context, ms []syncd.Mapping, doneRows func(*sql.Tx) (*sql.Stmt, error)) error {
	ctx, err := batchContext(ctx)
	if err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		set, err := tx.PrepareContext(ctx, setMapStateSQL)
		if err != nil {
			return err
		}
		defer set.Close()
		var ins *sql.Stmt
		if doneRows != nil {
			if ins, err = doneRows(tx); err != nil {
				return err
			}
			defer ins.Close()
		}
		for _, m := range ms {
			if _, err := set.ExecContext(ctx, string(m.State), "", now, m.EventID); err != nil {
				return err
			}
			id := fmt.Sprint(m.EventID)
			for _, op := range m.Ops {
				if ins != nil {
					args := []any{m.EventID}
					for _, v := range opText(&op, now) {
						args = append(args, v)
					}
					if _, err := ins.ExecContext(ctx, append(args, id, now)...); err != nil {
						return err
					}
				}
				if err := db.linkSet(ctx, tx, now, op.Target, op.Kind, op.Key, id, ""); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
