package storesql

import (
	"context"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// DropUnsentOps deletes, in a store's transaction (q, row), the operations
// for target that never reached it: dead, or pending and held by no
// syncer's lease running at now (the store's now); CRM erasures only when
// erasures is set. It returns their events and what is left: pending
// operations held by a lease, and CRM erasures not done.
func DropUnsentOps(ctx context.Context, d Dialect, q Query, row QueryRow, target string, now any, erasures bool) (syncd.DroppedOps, error) {
	var dropped syncd.DroppedOps
	err := q(ctx, d(`DELETE FROM outbox WHERE target = ?1
			AND (kind <> 'erase' OR ?3)
			AND (state = 'dead' OR (state = 'pending' AND (lease_until IS NULL OR lease_until <= ?2)))
			RETURNING event_id, kind, state, dead_cause`), func(r Rows) error {
		var ev int64
		var kind, state, cause string
		if err := r.Scan(&ev, &kind, &state, &cause); err != nil {
			return err
		}
		dropped.Drop(ev, syncd.RecordKind(kind), syncd.OpState(state), syncd.DeadCause(cause))
		return nil
	}, target, now, erasures)
	if err != nil {
		return syncd.DroppedOps{}, err
	}
	err = row(ctx, d(`SELECT count(*) FILTER (WHERE kind <> 'erase' AND state = 'pending'),
			count(*) FILTER (WHERE kind = 'erase' AND state <> 'done') FROM outbox WHERE target = ?1`), target).
		Scan(&dropped.Held, &dropped.ErasuresLeft)
	if err != nil {
		return syncd.DroppedOps{}, err
	}
	dropped.SortEvents()
	return dropped, nil
}
