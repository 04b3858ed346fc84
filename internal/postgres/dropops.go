package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// DropUnsentOps removes, in one transaction, the operations for target
// that never reached it: dead ones, and pending ones no syncer holds; erase
// operations only with erasures. The agency no longer uses that CRM
// (crm.kind names another), so they would wait for ever, and keep their
// events' bodies past the retention. It says what it dropped and left.
func (db *DB) DropUnsentOps(ctx context.Context, target string, erasures bool) (syncd.DroppedOps, error) {
	var d syncd.DroppedOps
	err := db.tx(ctx, "drop unsent ops", func(tx pgx.Tx) error {
		d = syncd.DroppedOps{}
		rows, err := tx.Query(ctx, `DELETE FROM outbox WHERE target = $1
			AND (kind <> 'erase' OR $3)
			AND (state = 'dead' OR (state = 'pending' AND (lease_until IS NULL OR lease_until <= $2)))
			RETURNING event_id, kind, state`, target, db.serverNow(), erasures)
		if err != nil {
			return err
		}
		var ev int64
		var kind, state string
		_, err = pgx.ForEachRow(rows, []any{&ev, &kind, &state}, func() error {
			d.Drop(ev, syncd.RecordKind(kind), syncd.OpState(state))
			return nil
		})
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE kind <> 'erase' AND state = 'pending'),
			count(*) FILTER (WHERE kind = 'erase' AND state <> 'done') FROM outbox WHERE target = $1`, target).Scan(&d.Held, &d.ErasuresLeft)
	})
	if err != nil {
		return syncd.DroppedOps{}, err
	}
	d.SortEvents()
	return d, nil
}
