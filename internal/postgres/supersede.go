package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// DropSupersededOps removes, for each of ops (the operations event eventID
// maps to now, already in the outbox), the event's older operations on the
// same record (target, kind and key) with other properties that never
// reached the CRM: dead ones, and pending ones no syncer holds. A replay
// after a mapping fix calls it: the older operation on a record is sent
// first, so one the CRM refused would otherwise be sent again ahead of its
// fix, pause the adapter or die again, for ever. A dead contact dropped
// revives the deals that died waiting for it; those given up by hand
// (dealt with by hand in the CRM: a lead entered there) stay so, as the
// replay leaves their leads. It returns the ids removed and those revived.
func (db *DB) DropSupersededOps(ctx context.Context, eventID int64, ops []syncd.Op) (dropped, revived []int64, err error) {
	err = db.tx(ctx, "drop superseded ops", func(tx pgx.Tx) error {
		for _, op := range ops {
			ids, dead, err := dropSuperseded(ctx, tx, db.serverNow(), eventID, op)
			if err != nil {
				return err
			}
			dropped = append(dropped, ids...)
			if len(ids) > 0 && op.Kind == syncd.RecordContact { // its deals may wait for none now
				if err := clearWaits(ctx, tx, []string{op.Target}, []string{op.Key}); err != nil {
					return err
				}
			}
			if !dead || op.Kind != syncd.RecordContact {
				continue
			}
			ids, err = revive(ctx, tx, db.serverNow(), `kind = 'deal' AND target = $2 AND contact_key = $3 AND dead_cause = $4`,
				op.Target, op.Key, string(syncd.DeadNoContact))
			if err != nil {
				return err
			}
			revived = append(revived, ids...)
		}
		return nil
	})
	return dropped, revived, err
}

// SupersededOps returns what DropSupersededOps would drop and revive for
// ops, the operations event eventID would map to now and that are not in
// the outbox yet, without writing: a replay's dry run.
func (db *DB) SupersededOps(ctx context.Context, eventID int64, ops []syncd.Op) (dropped, revived []int64, err error) {
	err = pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		now := db.serverNow() // compared with leases only: the server's clock
		for _, op := range ops {
			_, hash := op.StoredProps()
			rows, err := tx.Query(ctx, `SELECT id, state = 'dead' FROM outbox WHERE `+supersededWhere+`
				ORDER BY id`, eventID, op.Target, string(op.Kind), op.Key, hash, now)
			ids, dead, err := supersededRows(rows, err)
			if err != nil {
				return err
			}
			dropped = append(dropped, ids...)
			if !dead || op.Kind != syncd.RecordContact {
				continue
			}
			ids, err = int64s(ctx, tx, `SELECT id FROM outbox WHERE state = 'dead' AND kind = 'deal' AND target = $1
				AND contact_key = $2 AND dead_cause = $3 ORDER BY id`, op.Target, op.Key, string(syncd.DeadNoContact))
			if err != nil {
				return err
			}
			revived = append(revived, ids...)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("superseded ops: %w", err)
	}
	return dropped, revived, nil
}

// dropSuperseded removes the older operations DropSupersededOps drops for
// op and returns their ids, and whether one was dead.
func dropSuperseded(ctx context.Context, tx pgx.Tx, leaseNow time.Time, eventID int64, op syncd.Op) (ids []int64, dead bool, err error) {
	_, hash := op.StoredProps()
	rows, err := tx.Query(ctx, `DELETE FROM outbox WHERE `+supersededWhere+`
		RETURNING id, state = 'dead'`, eventID, op.Target, string(op.Kind), op.Key, hash, leaseNow)
	return supersededRows(rows, err)
}

// supersededWhere selects the operations DropSupersededOps drops: the
// event's ($1) on op's record ($2 target, $3 kind, $4 key) with other
// properties than op's ($5 hash), never sent (dead, or pending and not
// leased at $6, the server's clock), older than op's own row (all of them while op is not in
// the outbox yet, as on a dry run): kept under its hash, or, enqueued
// again after other properties, under the hash and the event's id
// (storedHash).
const supersededWhere = `event_id = $1::bigint AND target = $2 AND kind = $3 AND key = $4 AND props_hash <> $5
		AND props_hash <> $5 || ':' || $1::bigint::text
		AND (state = 'dead' OR (state = 'pending' AND (lease_until IS NULL OR lease_until <= $6)))
		AND id < coalesce((SELECT max(id) FROM outbox WHERE target = $2 AND kind = $3 AND key = $4
			AND props_hash IN ($5, $5 || ':' || $1::bigint::text)), 9223372036854775807)`

// supersededRows scans the ids of a query on supersededWhere and whether
// one of them was dead.
func supersededRows(rows pgx.Rows, err error) (ids []int64, dead bool, _ error) {
	if err != nil {
		return nil, false, err
	}
	var id int64
	var wasDead bool
	_, err = pgx.ForEachRow(rows, []any{&id, &wasDead}, func() error {
		ids, dead = append(ids, id), dead || wasDead
		return nil
	})
	return ids, dead, err
}
