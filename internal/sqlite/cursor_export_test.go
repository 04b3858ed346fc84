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
