package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

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
	var ev syncd.Event
	err := db.tx(ctx, "deal with event", func(tx pgx.Tx) error {
		var err error
		ev, err = db.scanEvent(tx.QueryRow(ctx, `SELECT `+eventColumns+` FROM events WHERE id = $1 FOR UPDATE`, id))
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return syncd.Errorf(syncd.ENotFound, "event %d not found", id)
		case err != nil:
			return err
		}
		if err := syncd.DealableWith(ev); err != nil || !ev.DealtAt.IsZero() {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE events SET dealt_at = $1 WHERE id = $2`, db.serverNow(), id)
		return err
	})
	var de *syncd.Error
	if errors.As(err, &de) {
		return ev, de
	}
	return ev, err
}
