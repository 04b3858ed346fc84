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
// fix, pause the adapter or die again, for ever. A dead contact dropped
// revives the deals that died waiting for it; those given up by hand
// (dealt with by hand in the CRM: a lead entered there) stay so, as the
// replay leaves their leads. It returns the ids removed and those revived.
func (db *DB) DropSupersededOps(ctx context.Context, eventID int64, ops []syncd.Op) (dropped, revived []int64, err error) {
	err = db.writeTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		for _, op := range ops {
			ids, dead, err := dropSuperseded(ctx, tx, now, eventID, op)
			if err != nil {
				return err
			}
			dropped = append(dropped, ids...)
			if !dead || op.Kind != syncd.RecordContact {
				continue
			}
			ids, err = opRevive(ctx, tx, now, `kind = 'deal' AND target = ?2 AND contact_key = ?3 AND dead_cause = ?4`,
				op.Target, op.Key, string(syncd.DeadNoContact))
			if err != nil {
				return err
			}
			revived = append(revived, ids...)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("drop superseded ops: %w", err)
	}
	return dropped, revived, nil
}

// SupersededOps returns what DropSupersededOps would drop and revive for
// ops, the operations event eventID would map to now and that are not in
// the outbox yet, without writing: a replay's dry run.
func (db *DB) SupersededOps(ctx context.Context, eventID int64, ops []syncd.Op) (dropped, revived []int64, err error) {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, fmt.Errorf("superseded ops: %w", err)
	}
	defer tx.Rollback()
	now := db.now()
	for _, op := range ops {
		_, hash := op.StoredProps()
		ids, dead, err := supersededRows(tx.QueryContext(ctx, `SELECT id, state = 'dead' FROM outbox WHERE `+supersededWhere+`
			ORDER BY id`, eventID, op.Target, string(op.Kind), op.Key, hash, now))
		if err != nil {
			return nil, nil, fmt.Errorf("superseded ops: %w", err)
		}
		dropped = append(dropped, ids...)
		if !dead || op.Kind != syncd.RecordContact {
			continue
		}
		ids, err = column[int64](ctx, tx, `SELECT id FROM outbox WHERE state = 'dead' AND kind = 'deal' AND target = ?
			AND contact_key = ? AND dead_cause = ? ORDER BY id`, op.Target, op.Key, string(syncd.DeadNoContact))
		if err != nil {
			return nil, nil, fmt.Errorf("superseded ops: %w", err)
		}
		revived = append(revived, ids...)
	}
	return dropped, revived, nil
}

// dropSuperseded removes the older operations DropSupersededOps drops for
// op and returns their ids, and whether one was dead.
func dropSuperseded(ctx context.Context, tx *sql.Tx, now string, eventID int64, op syncd.Op) (ids []int64, dead bool, err error) {
	_, hash := op.StoredProps()
	return supersededRows(tx.QueryContext(ctx, `DELETE FROM outbox WHERE `+supersededWhere+`
		RETURNING id, state = 'dead'`, eventID, op.Target, string(op.Kind), op.Key, hash, now))
}

// supersededWhere selects the operations DropSupersededOps drops: the
// event's (?1) on op's record (?2 target, ?3 kind, ?4 key) with other
// properties than op's (?5 hash), never sent (dead, or pending and not
// leased at ?6), older than op's own row (all of them while op is not in
// the outbox yet, as on a dry run): kept under its hash, or, enqueued
// again after other properties, under the hash and the event's id
// (reinsertOpSQL).
const supersededWhere = `event_id = ?1 AND target = ?2 AND kind = ?3 AND key = ?4 AND props_hash <> ?5
		AND props_hash <> ?5 || ':' || ?1
		AND (state = 'dead' OR (state = 'pending' AND (lease_until IS NULL OR lease_until <= ?6)))
		AND id < coalesce((SELECT max(id) FROM outbox WHERE target = ?2 AND kind = ?3 AND key = ?4
			AND props_hash IN (?5, ?5 || ':' || ?1)), 9223372036854775807)`

// supersededRows scans the ids of a query on supersededWhere and whether
// one of them was dead.
func supersededRows(rows *sql.Rows, err error) (ids []int64, dead bool, _ error) {
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var wasDead bool
		if err := rows.Scan(&id, &wasDead); err != nil {
			return nil, false, err
		}
		ids, dead = append(ids, id), dead || wasDead
	}
	return ids, dead, rows.Err()
}
