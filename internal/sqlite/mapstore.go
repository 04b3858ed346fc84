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
// is (0, nil).
func (db *DB) RecordMapping(ctx context.Context, eventID int64, state syncd.MapState, reason string, ops []syncd.Op) (inserted int, err error) {
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("record mapping: %w", err)
	}
	defer tx.Rollback()
	now := db.now()
	// An event erased or purged since it was read keeps what it has: its
	// mapping would bring the person's data back into the outbox.
	res, err := tx.ExecContext(ctx, `UPDATE events SET map_state = ?, map_error = ?, mapped_at = ?
		WHERE id = ? AND erased_at IS NULL AND purged_at IS NULL`, string(state), reason, now, eventID)
	if err != nil {
		return 0, fmt.Errorf("record mapping: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return 0, fmt.Errorf("record mapping: %w", err)
	} else if n == 0 {
		return 0, mapGone(ctx, tx, eventID)
	}
	for i := range ops {
		ops[i].EventID = eventID
	}
	inserted, err = insertOps(ctx, tx, now, ops)
	if err != nil {
		return 0, fmt.Errorf("record mapping: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("record mapping: %w", err)
	}
	return inserted, nil
}

// mapGone tells an event erased or purged (nil: nothing to record) from one
// that does not exist.
func mapGone(ctx context.Context, tx *sql.Tx, eventID int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE id = ?`, eventID).Scan(&n); err != nil {
		return fmt.Errorf("record mapping: %w", err)
	}
	if n == 0 {
		return syncd.Errorf(syncd.ENotFound, "event %d not found", eventID)
	}
	return nil
}

// PendingEvents returns up to limit events not mapped yet, with an id
// greater than afterID, in id order. It is the mapping worker's queue.
func (db *DB) PendingEvents(ctx context.Context, afterID int64, limit int) ([]syncd.Event, error) {
	return db.Events(ctx, EventFilter{MapState: syncd.MapPending, AfterID: afterID, Limit: limit})
}

// ReplayEvents returns up to limit events of any mapping state received at
// or after since (zero: any time) from source ("" for all), with an id
// greater than afterID, in id order. It is what `syncd replay` re-maps.
// Erased and purged events are left out: their bodies are gone.
func (db *DB) ReplayEvents(ctx context.Context, since time.Time, source string, afterID int64, limit int) ([]syncd.Event, error) {
	return db.Events(ctx, EventFilter{Source: source, Since: since, AfterID: afterID, Limit: limit, Kept: true})
}
