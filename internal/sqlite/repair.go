package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// RepairQuarantined turns quarantined body id into an event from a body an
// operator corrected: in one transaction it stores inc (which must parse:
// not a quarantine) as an event received when the original was, and marks
// the quarantine row resolved by it. If the corrected body is a delivery
// already stored, the row is resolved by that event. The mapping worker maps
// the new event like any other. window is the intake's duplicate window.
//
// A daemon running meanwhile learns of the repaired event's key in its next
// intake batch (the writer catches up on events stored by other processes
// inside each batch's transaction), so a later delivery of the same body is
// a duplicate.
func (db *DB) RepairQuarantined(ctx context.Context, id int64, inc syncd.Incoming, window time.Duration) (syncd.Receipt, error) {
	if inc.Quarantine {
		return syncd.Receipt{}, syncd.Errorf(syncd.EInvalid, "the corrected body does not parse either")
	}
	// The intake's own storing rules, on this transaction; made ready before
	// it begins, as the writer pool has one connection.
	in := db.NewIntake(IntakeOptions{Window: window})
	if err := in.ready(ctx); err != nil {
		return syncd.Receipt{}, err
	}
	defer in.stmts.close()
	in.seen.begin()
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return syncd.Receipt{}, fmt.Errorf("repair quarantine: %w", err)
	}
	defer tx.Rollback()
	var source, kind, received string
	var resolved sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT source, kind, received_at, resolved_event_id FROM quarantine WHERE id = ?`, id).
		Scan(&source, &kind, &received, &resolved)
	if errors.Is(err, sql.ErrNoRows) {
		return syncd.Receipt{}, syncd.Errorf(syncd.ENotFound, "quarantined body %d not found", id)
	}
	if err != nil {
		return syncd.Receipt{}, fmt.Errorf("repair quarantine: %w", err)
	}
	if resolved.Valid {
		return syncd.Receipt{}, syncd.Errorf(syncd.EInvalid, "quarantined body %d was already repaired as event %d", id, resolved.Int64)
	}
	inc.Source, inc.Kind, inc.ReceivedAt = source, syncd.Kind(kind), parseTime(sql.NullString{String: received, Valid: true})
	rec, err := in.storeOne(ctx, tx, inc, seenKeyOf(inc.Source, inc.Key), db.Now())
	if err != nil {
		return syncd.Receipt{}, fmt.Errorf("repair quarantine: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE quarantine SET resolved_event_id = ?, resolved_at = ? WHERE id = ?`,
		rec.ID, db.now(), id); err != nil {
		return syncd.Receipt{}, fmt.Errorf("repair quarantine: %w", err)
	}
	if err := lowerPurgeMark(ctx, tx, "events", received); err != nil {
		return syncd.Receipt{}, fmt.Errorf("repair quarantine: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return syncd.Receipt{}, fmt.Errorf("repair quarantine: %w", err)
	}
	return rec, nil
}
