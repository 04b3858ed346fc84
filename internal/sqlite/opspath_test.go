package sqlite_test

import (
	"context"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// opTestEnqueue puts ops into the outbox as the mapper does: one
// RecordMapping per event, in the order the events first appear. It
// returns how many ops were new.
func opTestEnqueue(ctx context.Context, db *sqlite.DB, ops []syncd.Op) (int, error) {
	var order []int64
	byEvent := map[int64][]syncd.Op{}
	for _, op := range ops {
		if _, ok := byEvent[op.EventID]; !ok {
			order = append(order, op.EventID)
		}
		byEvent[op.EventID] = append(byEvent[op.EventID], op)
	}
	var ms []syncd.Mapping
	for _, ev := range order {
		ms = append(ms, syncd.Mapping{EventID: ev, State: syncd.MapMapped, Ops: byEvent[ev]})
	}
	return db.RecordMappings(ctx, ms)
}

// opTestOfEvent returns the outbox ops made from one event, in id order,
// read through ListOps as `syncd outbox list` does.
func opTestOfEvent(ctx context.Context, db *sqlite.DB, eventID int64) ([]syncd.Op, error) {
	all, err := db.ListOps(ctx, sqlite.OpFilter{Limit: -1})
	if err != nil {
		return nil, err
	}
	var ops []syncd.Op
	for _, op := range all {
		if op.EventID == eventID {
			ops = append(ops, op)
		}
	}
	return ops, nil
}

// opTestFinish records what became of one claimed op through FinishOps, as
// the syncer does: change sets its state, CRM id, error or next attempt.
func opTestFinish(ctx context.Context, db *sqlite.DB, id int64, change func(*syncd.Op)) error {
	op, err := db.GetOp(ctx, id)
	if err != nil {
		return err
	}
	change(&op)
	return db.FinishOps(ctx, []syncd.Op{op})
}

// opTestComplete finishes op id as done with its CRM id.
func opTestComplete(ctx context.Context, db *sqlite.DB, id int64, crmID string) error {
	return opTestFinish(ctx, db, id, func(op *syncd.Op) {
		op.State, op.CRMID, op.LastError = syncd.OpDone, crmID, ""
	})
}
