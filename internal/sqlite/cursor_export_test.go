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
// CRM link per operation (the operation's id as the CRM id), and no
// operation rows. It exists only for BenchmarkOutboxCycle's comparison.
func (db *DB) RecordCursorFloor(ctx context.Context, ms []syncd.Mapping) error {
	ctx, err := batchContext(ctx)
	if err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		for _, m := range ms {
			if _, _, err := db.recordMapping(ctx, tx, now, syncd.Mapping{EventID: m.EventID, State: m.State}); err != nil {
				return err
			}
			for _, op := range m.Ops {
				if err := db.linkSet(ctx, tx, now, op.Target, op.Kind, op.Key, fmt.Sprint(m.EventID)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// RecordSentFloor is the other variant, also only for
// BenchmarkOutboxCycle: each event's state, its operations
// inserted as done (as the syncer would have finished them) and their CRM
// links, in one transaction: the outbox keeps its history rows, without
// the claim and the finish.
func (db *DB) RecordSentFloor(ctx context.Context, ms []syncd.Mapping) error {
	ctx, err := batchContext(ctx)
	if err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		ins, err := tx.PrepareContext(ctx, `INSERT INTO outbox
			(event_id, target, kind, key, contact_key, properties, props_hash, mapping_file, mapping_hash,
			 state, attempts, next_attempt_at, created_at, updated_at, key_kind, crm_id, done_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'done', 1, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (target, kind, key, props_hash) DO NOTHING`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for _, m := range ms {
			if _, _, err := db.recordMapping(ctx, tx, now, syncd.Mapping{EventID: m.EventID, State: m.State}); err != nil {
				return err
			}
			for _, op := range m.Ops {
				props, hash := op.StoredProps()
				id := fmt.Sprint(m.EventID)
				if _, err := ins.ExecContext(ctx, m.EventID, op.Target, string(op.Kind), op.Key, op.ContactKey,
					props, hash, op.MappingFile, op.MappingHash, now, now, now, string(op.KeyKind), id, now); err != nil {
					return err
				}
				if err := db.linkSet(ctx, tx, now, op.Target, op.Kind, op.Key, id); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
