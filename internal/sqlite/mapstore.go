package sqlite

import (
	"context"
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
// outbox; one that does not exist is a syncd.ENotFound error. It is
// RecordMappings' write, of one mapping.
func (db *DB) RecordMapping(ctx context.Context, eventID int64, state syncd.MapState, reason string, ops []syncd.Op) (int, error) {
	m := []syncd.Mapping{{EventID: eventID, State: state, Reason: reason, Ops: ops}}
	inserted, err := db.recordMappings(ctx, m, true)
	if err != nil {
		return 0, fmt.Errorf("record mapping: %w", err)
	}
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
// When an intake transaction comes to wait for the writer, the batch
// commits what it has done and goes on in a new transaction behind it: a
// sender's answer never waits for a whole batch of mappings.
func (db *DB) RecordMappings(ctx context.Context, ms []syncd.Mapping) (int, error) {
	inserted, err := db.recordMappings(ctx, ms, false)
	if err != nil {
		return 0, fmt.Errorf("record mappings: %w", err)
	}
	return inserted, nil
}

// recordMappings is the one write of mappings, RecordMapping's and
// RecordMappings': it runs on go-sqlite3's connection itself (rawWriteTx),
// with statements prepared once for the life of the connection, as the
// mapper's write is the daemon's largest run of row writes. With mustExist,
// an event not found that does not exist at all is an error (mapGone).
func (db *DB) recordMappings(ctx context.Context, ms []syncd.Mapping, mustExist bool) (int, error) {
	var inserted int
	for len(ms) > 0 {
		ctx, err := batchContext(ctx)
		if err != nil {
			return 0, err
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
				n, found, err := st.record(ctx, now, ms[0])
				if err == nil && !found && mustExist {
					err = c.mapGone(ctx, ms[0].EventID)
				}
				if err != nil {
					return err
				}
				inserted, ms = inserted+n, ms[1:]
				if db.gate.intakeWaiting() {
					break
				}
			}
			n, err := st.insertDeals(ctx, now)
			inserted += n
			return err
		})
		if err != nil {
			return 0, err
		}
		db.txs.mapping.Add(1)
		db.txs.mapped.Add(int64(left - len(ms)))
	}
	return inserted, nil
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
