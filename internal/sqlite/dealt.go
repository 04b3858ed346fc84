package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// unattendedCond is EventFilter.Unattended's condition: the terms of the
// partial index events_unmappable_waiting (migration 0011), word for word.
const unattendedCond = "map_state = 'unmappable' AND dealt_at IS NULL AND erased_at IS NULL AND purged_at IS NULL"

// DealtWith records unmappable lead id as dealt with by an operator
// (entered in the CRM by hand, or no lead): it waits for no one after. It
// returns the event as it was: one dealt with already is left as it is
// (its DealtAt set). An event that is not an unmappable lead, or whose
// body was erased or purged, is refused (EInvalid); one not there is
// ENotFound.
func (db *DB) DealtWith(ctx context.Context, id int64) (syncd.Event, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return syncd.Event{}, fmt.Errorf("deal with event: %w", err)
	}
	defer tx.Rollback()
	ev, err := scanEvent(tx.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events WHERE id = ?`, id))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return ev, syncd.Errorf(syncd.ENotFound, "event %d not found", id)
	case err != nil:
		return ev, fmt.Errorf("deal with event: %w", err)
	}
	if err := syncd.DealableWith(ev); err != nil || !ev.DealtAt.IsZero() {
		return ev, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE events SET dealt_at = ? WHERE id = ?`, db.now(), id); err != nil {
		return ev, fmt.Errorf("deal with event: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return ev, fmt.Errorf("deal with event: %w", err)
	}
	return ev, nil
}
