package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// RepairQuarantined turns quarantined body id into an event from a body an
// operator corrected: in one transaction it stores inc (which must parse:
// not a quarantine) as an event received when the original was, and marks
// the quarantine row resolved by it. If the corrected body is a delivery
// already stored, the row is resolved by that event (see repairedJoins).
// The mapping worker maps the new event like any other. window is the
// intake's duplicate window.
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
	var resolved, changedOf sql.NullInt64
	var body []byte
	err = tx.QueryRowContext(ctx, `SELECT source, kind, received_at, resolved_event_id, body, changed_of FROM quarantine WHERE id = ?`, id).
		Scan(&source, &kind, &received, &resolved, &body, &changedOf)
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
	now := db.Now()
	counted := syncd.ChangedUnknown // as judged before changed_of: a body repaired as it is reads as it is
	switch {
	case changedOf.Valid:
		counted = changedOf.Int64
	case !bytes.Equal(inc.Body, body):
		counted = 0
	}
	rec, joined, err := in.repairedJoins(ctx, tx, inc, counted, now)
	if err == nil && !joined {
		rec, err = in.storeOne(ctx, tx, inc, seenKeyOf(inc.Source, inc.Key), now)
	}
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

// repairedJoins finds the event a repaired body inc is a delivery of: the
// one with its key stored within the duplicate window either side of the
// body's receipt (inc.ReceivedAt), as the intake found it when it came,
// however long ago, not the window back from the repair. The body is then
// a duplicate of that event (joined), told changed when it says something
// else. counted is the event the quarantined body's delivery was counted
// on when it came (Quarantine.ChangedOf: a changed delivery of it), 0 for
// none (a body that did not read, counted by the quarantine alone), or
// syncd.ChangedUnknown for a body kept by a syncd that did not record it,
// repaired as it is (it reads: taken for a changed delivery, as before).
// Joining that event counts no delivery more, with a copy or without; any
// other counts its delivery there.
func (in *Intake) repairedJoins(ctx context.Context, tx *sql.Tx, inc syncd.Incoming, counted int64, now time.Time) (syncd.Receipt, bool, error) {
	var id int64
	var stored []byte
	err := tx.QueryRowContext(ctx, `SELECT id, CASE WHEN body = ? OR length(body) = 0 THEN NULL ELSE coalesce(payload, body) END
		FROM events WHERE received_at >= ? AND received_at <= ? AND source = ? AND idem_key = ? ORDER BY id LIMIT 1`,
		inc.Body, fmtTime(inc.ReceivedAt.Add(-in.window)), fmtTime(inc.ReceivedAt.Add(in.window)), inc.Source, inc.Key).
		Scan(&id, &stored)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return syncd.Receipt{}, false, nil
	case err != nil:
		return syncd.Receipt{}, false, fmt.Errorf("find the event of the delivery: %w", err)
	case counted != id && counted != syncd.ChangedUnknown:
		rec, err := in.countDuplicate(ctx, tx, id, inc, fmtTime(now))
		return rec, true, err
	}
	changed := stored != nil && !sender.SameDelivery(inc.Kind, stored, inc.Document())
	return syncd.Receipt{Outcome: syncd.Duplicate, ID: id, Changed: changed}, true, nil
}

// DismissQuarantined sets quarantined body id aside as no lead (a port
// scanner's garbage, a test ping), at an operator's word: the row is kept
// for the record, resolved by no event, and its body dropped as the
// retention purge drops it. It returns the row as it was: one dismissed
// already is left as it is (its DismissedAt set). A body repaired into an
// event is refused (EInvalid), one not there is ENotFound.
func (db *DB) DismissQuarantined(ctx context.Context, id int64) (syncd.Quarantine, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return syncd.Quarantine{}, fmt.Errorf("dismiss quarantine: %w", err)
	}
	defer tx.Rollback()
	q, err := scanQuarantine(tx.QueryRowContext(ctx, `SELECT `+quarantineColumns+` FROM quarantine WHERE id = ?`, id))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return q, syncd.Errorf(syncd.ENotFound, "quarantined body %d not found", id)
	case err != nil:
		return q, fmt.Errorf("dismiss quarantine: %w", err)
	case q.ResolvedEvent != 0:
		return q, syncd.Errorf(syncd.EInvalid, "quarantined body %d was repaired as event %d: nothing to dismiss", id, q.ResolvedEvent)
	case !q.DismissedAt.IsZero():
		return q, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE quarantine SET resolved_at = ?, body = X'' WHERE id = ?`, db.now(), id); err != nil {
		return q, fmt.Errorf("dismiss quarantine: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return q, fmt.Errorf("dismiss quarantine: %w", err)
	}
	return q, nil
}
