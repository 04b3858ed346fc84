package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// RecordMapping stores the outcome of mapping one event in one transaction:
// its operations go into the outbox (an operation identical to one already
// there is skipped, so re-mapping never duplicates work) and the event's
// map_state, map_error and mapped_at are set. It returns how many
// operations were new. An event erased or purged meanwhile is left as it
// is (0, nil): its mapping would bring the person's data back into the
// outbox.
func (db *DB) RecordMapping(ctx context.Context, eventID int64, state syncd.MapState, reason string, ops []syncd.Op) (int, error) {
	var inserted int
	ctx, err := batchContext(ctx)
	if err != nil {
		return 0, fmt.Errorf("record mapping: %w", err)
	}
	err = db.writeTx(ctx, func(tx *sql.Tx) error {
		n, found, err := db.recordMapping(ctx, tx, db.now(), syncd.Mapping{EventID: eventID, State: state, Reason: reason, Ops: ops})
		if err == nil && !found {
			err = mapGone(ctx, tx, eventID)
		}
		inserted = n
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("record mapping: %w", err)
	}
	db.txs.mapping.Add(1)
	db.txs.mapped.Add(1)
	return inserted, nil
}

// RecordMappings stores the outcomes of mapping many events in one
// transaction, each as RecordMapping does; an event erased, purged or
// deleted meanwhile is skipped. It returns how many operations were new.
//
// These rows derive from stored events: a database opened with
// Options.DeferSync commits them without waiting for the disk, and if a
// power cut takes them back, their events are pending again and are mapped
// again on the next start.
//
// The transaction runs on go-sqlite3's connection itself (rawWriteTx), with
// statements prepared once for the life of the connection: the mapper's
// write is the daemon's largest run of row writes.
//
// When an intake transaction comes to wait for the writer, the batch
// commits what it has done and goes on in a new transaction behind it: a
// sender's answer never waits for a whole batch of mappings.
func (db *DB) RecordMappings(ctx context.Context, ms []syncd.Mapping) (int, error) {
	var inserted int
	for len(ms) > 0 {
		ctx, err := batchContext(ctx)
		if err != nil {
			return 0, fmt.Errorf("record mappings: %w", err)
		}
		left := len(ms)
		err = db.rawWriteTx(ctx, func(c *gatedConn) error {
			st, err := c.mapStmts()
			if err != nil {
				return err
			}
			defer st.release()
			now := db.now()
			for len(ms) > 0 {
				n, _, err := st.record(ctx, now, ms[0])
				if err != nil {
					return err
				}
				inserted, ms = inserted+n, ms[1:]
				if db.gate.intakeWaiting() {
					return nil
				}
			}
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("record mappings: %w", err)
		}
		db.txs.mapping.Add(1)
		db.txs.mapped.Add(int64(left - len(ms)))
	}
	return inserted, nil
}

// recordMapping sets one event's mapping state and enqueues its ops within
// tx; found is false (and nothing written) when the event does not exist
// or was erased or purged.
func (db *DB) recordMapping(ctx context.Context, tx *sql.Tx, now string, m syncd.Mapping) (inserted int, found bool, err error) {
	res, err := tx.StmtContext(ctx, db.ws.setMapState).ExecContext(ctx, string(m.State), m.Reason, now, m.EventID)
	if err != nil {
		return 0, false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return 0, false, err
	}
	for i := range m.Ops {
		m.Ops[i].EventID = m.EventID
	}
	inserted, err = db.insertOps(ctx, tx, now, m.Ops)
	return inserted, true, err
}

// mapGone tells an event erased or purged (nil: nothing to record) from one
// that does not exist.
func mapGone(ctx context.Context, tx *sql.Tx, eventID int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE id = ?`, eventID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return syncd.Errorf(syncd.ENotFound, "event %d not found", eventID)
	}
	return nil
}

// PendingEvents returns up to limit events not mapped yet, with an id
// greater than afterID, in id order. It is the mapping worker's queue. It
// returns them once they are on disk (DB.Durable): nothing of an event
// reaches a CRM while a power cut could still take the event back.
func (db *DB) PendingEvents(ctx context.Context, afterID int64, limit int) ([]syncd.Event, error) {
	evs, err := db.Events(ctx, EventFilter{MapState: syncd.MapPending, AfterID: afterID, Limit: limit})
	if err == nil && len(evs) > 0 {
		err = db.Durable()
	}
	if err != nil {
		return nil, fmt.Errorf("pending events: %w", err)
	}
	return evs, nil
}

// ReplayEvents returns up to limit events of any mapping state received at
// or after since (zero: any time) from source ("" for all), with an id
// greater than afterID, in id order. It is what `syncd replay` re-maps.
// Erased and purged events are left out: their bodies are gone.
func (db *DB) ReplayEvents(ctx context.Context, since time.Time, source string, afterID int64, limit int) ([]syncd.Event, error) {
	return db.Events(ctx, EventFilter{Source: source, Since: since, AfterID: afterID, Limit: limit, Kept: true})
}
