package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// EventFilter selects events; the domain type, named here for callers.
type EventFilter = syncd.EventFilter

const eventColumns = `id, source, kind, type, idem_key, body, payload, parse, received_at,
	last_delivery_at, deliveries, remote_addr, map_state, map_error, erased_at, purged_at, dealt_at`

// Event returns the event with the given id.
func (db *DB) Event(ctx context.Context, id int64) (syncd.Event, error) {
	row := db.r.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events WHERE id = ?`, id)
	ev, err := scanEvent(row)
	if errors.Is(err, sql.ErrNoRows) {
		return ev, syncd.Errorf(syncd.ENotFound, "event %d not found", id)
	}
	if err != nil {
		return ev, fmt.Errorf("get event %d: %w", id, err)
	}
	return ev, nil
}

// Events returns the events f selects, in id order (newest first with
// f.Newest).
func (db *DB) Events(ctx context.Context, f EventFilter) ([]syncd.Event, error) {
	where, args := eventWhere(f)
	return listed(ctx, db, "list events", `SELECT `+eventColumns+` FROM events`+where+f.OrderLimit(), args, scanEvent)
}

// CountEvents counts the events f selects, ignoring f.Limit.
func (db *DB) CountEvents(ctx context.Context, f EventFilter) (int, error) {
	where, args := eventWhere(f)
	return counted(ctx, db, "count events", `SELECT count(*) FROM events`+where, args)
}

// listed runs query (with args) on the read pool and scans every row
// with scan; what names the listing in errors.
func listed[T any](ctx context.Context, db *DB, what, query string, args []any, scan func(scanner) (T, error)) ([]T, error) {
	rows, err := db.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// counted runs query, a count, on the read pool; what names it in errors.
func counted(ctx context.Context, db *DB, what, query string, args []any) (int, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return n, nil
}

// where is the WHERE clause (with its leading space) and arguments of f.
func eventWhere(f EventFilter) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, arg any) { where = append(where, cond); args = append(args, arg) }
	if f.Source != "" {
		add("source = ?", f.Source)
	}
	if f.Kind != "" {
		add("kind = ?", string(f.Kind))
	}
	if !f.Since.IsZero() {
		add("received_at >= ?", fmtTime(f.Since))
	}
	if !f.Until.IsZero() {
		add("received_at < ?", fmtTime(f.Until))
	}
	if f.AfterID > 0 {
		add("id > ?", f.AfterID)
	}
	if f.BeforeID > 0 {
		add("id < ?", f.BeforeID)
	}
	if f.MapState != "" {
		add("map_state = ?", string(f.MapState))
	}
	if f.Kept {
		where = append(where, "erased_at IS NULL AND purged_at IS NULL")
	}
	if f.Unattended {
		// Named, not parameters: the terms of the partial index
		// events_unmappable_waiting (migration 0011), which holds only
		// these, so that a plan reads it, not every event.
		where = append(where, unattendedCond)
	}
	if len(where) == 0 {
		return "", nil
	}
	return ` WHERE ` + strings.Join(where, " AND "), args
}

type scanner interface{ Scan(dest ...any) error }

func scanEvent(s scanner) (syncd.Event, error) {
	var ev syncd.Event
	var payload sql.NullString
	var kind, parse, state string
	var received, last, erased, purged, dealt sql.NullString
	err := s.Scan(&ev.ID, &ev.Source, &kind, &ev.Type, &ev.Key, &ev.Body, &payload, &parse,
		&received, &last, &ev.Deliveries, &ev.RemoteAddr, &state, &ev.MapError, &erased, &purged, &dealt)
	if err != nil {
		return ev, err
	}
	ev.Kind, ev.Parse, ev.MapState = syncd.Kind(kind), syncd.ParseStatus(parse), syncd.MapState(state)
	ev.ReceivedAt, ev.LastDeliveryAt = parseTime(received), parseTime(last)
	ev.ErasedAt, ev.PurgedAt, ev.DealtAt = parseTime(erased), parseTime(purged), parseTime(dealt)
	ev.Payload = ev.Body
	if payload.Valid {
		ev.Payload = []byte(payload.String)
	}
	return ev, nil
}

// Quarantined returns the quarantined bodies f selects by source, received
// time (Since, Until), id (AfterID, BeforeID) and Limit, in id order
// (newest first with f.Newest); the other fields of f do not apply.
func (db *DB) Quarantined(ctx context.Context, f EventFilter) ([]syncd.Quarantine, error) {
	where, args := quarantineWhere(f)
	return listed(ctx, db, "list quarantine", `SELECT `+quarantineColumns+` FROM quarantine`+where+f.OrderLimit(), args, scanQuarantine)
}

// CountQuarantined counts the quarantined bodies f selects (see
// Quarantined), ignoring f.Limit.
func (db *DB) CountQuarantined(ctx context.Context, f EventFilter) (int, error) {
	where, args := quarantineWhere(f)
	return counted(ctx, db, "count quarantine", `SELECT count(*) FROM quarantine`+where, args)
}

// QuarantineWaiting counts the quarantined bodies that wait for a person
// by source (see storeapi.Store).
func (db *DB) QuarantineWaiting(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	err := eachRow(ctx, db.r, storesql.QuarantineWaitingSQL, nil, func(rows *sql.Rows) error {
		var source string
		var n int
		err := rows.Scan(&source, &n)
		out[source] = n
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("count quarantine waiting: %w", err)
	}
	return out, nil
}

// quarantineWhere is the WHERE clause (with its leading space) and
// arguments of the fields of f that apply to quarantined bodies.
func quarantineWhere(f EventFilter) (string, []any) {
	where, args := eventWhere(EventFilter{Source: f.Source, Since: f.Since, Until: f.Until, AfterID: f.AfterID, BeforeID: f.BeforeID})
	return storesql.QuarantineWhere(where, f.Waiting), args
}

// QuarantinedBody returns one quarantined body by its id.
func (db *DB) QuarantinedBody(ctx context.Context, id int64) (syncd.Quarantine, error) {
	row := db.r.QueryRowContext(ctx, `SELECT `+quarantineColumns+` FROM quarantine WHERE id = ?`, id)
	qr, err := scanQuarantine(row)
	if errors.Is(err, sql.ErrNoRows) {
		return qr, syncd.Errorf(syncd.ENotFound, "quarantined body %d not found", id)
	}
	if err != nil {
		return qr, fmt.Errorf("get quarantined body %d: %w", id, err)
	}
	return qr, nil
}

const quarantineColumns = `id, source, kind, body, body_sha256, reason, received_at, last_delivery_at,
	deliveries, remote_addr, COALESCE(resolved_event_id, 0), erased_at, purged_at,
	iif(resolved_event_id IS NULL, resolved_at, NULL), COALESCE(changed_of, -1)`

func scanQuarantine(s scanner) (syncd.Quarantine, error) {
	var qr syncd.Quarantine
	var kind string
	var received, last, erased, purged, dismissed sql.NullString
	err := s.Scan(&qr.ID, &qr.Source, &kind, &qr.Body, &qr.SHA256, &qr.Reason,
		&received, &last, &qr.Deliveries, &qr.RemoteAddr, &qr.ResolvedEvent, &erased, &purged, &dismissed,
		&qr.ChangedOf)
	qr.Kind, qr.ReceivedAt, qr.LastDeliveryAt = syncd.Kind(kind), parseTime(received), parseTime(last)
	qr.ErasedAt, qr.PurgedAt, qr.DismissedAt = parseTime(erased), parseTime(purged), parseTime(dismissed)
	return qr, err
}
