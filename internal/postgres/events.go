package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
	"github.com/syncd-dev/syncd/internal/syncd"
)

const eventColumns = `id, source, kind, type, idem_key, body, payload, parse, received_at,
	last_delivery_at, deliveries, remote_addr, map_state, map_error, erased_at, purged_at, dealt_at`

// Event returns the event with the given id.
func (db *DB) Event(ctx context.Context, id int64) (syncd.Event, error) {
	ev, err := db.scanEvent(db.pool.QueryRow(ctx, `SELECT `+eventColumns+` FROM events WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return ev, syncd.Errorf(syncd.ENotFound, "event %d not found", id)
	}
	if err != nil {
		return ev, fmt.Errorf("get event %d: %w", id, err)
	}
	return ev, nil
}

// Events returns the events f selects, in id order (newest first with
// f.Newest).
func (db *DB) Events(ctx context.Context, f syncd.EventFilter) ([]syncd.Event, error) {
	q, args := eventsQuery(db.onServerClock(f))
	return listed(ctx, db, "list events", q, args, db.scanEvent)
}

// onServerClock is f with its received times (Since, Until), on this
// host's clock, on the database server's, as received times are kept
// (see Intake.commit) and given back on this host's (scanEvent).
func (db *DB) onServerClock(f syncd.EventFilter) syncd.EventFilter {
	f.Since, f.Until = db.serverTime(f.Since), db.serverTime(f.Until)
	return f
}

// eventsQuery is the query of Events and its arguments.
func eventsQuery(f syncd.EventFilter) (string, []any) {
	where, args := eventWhere(f)
	return `SELECT ` + eventColumns + ` FROM events` + where + f.OrderLimit(), args
}

// CountEvents counts the events f selects, ignoring f.Limit.
func (db *DB) CountEvents(ctx context.Context, f syncd.EventFilter) (int, error) {
	where, args := eventWhere(db.onServerClock(f))
	return counted(ctx, db, "count events", `SELECT count(*) FROM events`+where, args)
}

// listed runs query (with args) and scans every row with scan; what names
// the listing in errors.
func listed[T any](ctx context.Context, db *DB, what, query string, args []any, scan func(pgx.Row) (T, error)) ([]T, error) {
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) { return scan(r) })
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// counted runs query, a count; what names it in errors.
func counted(ctx context.Context, db *DB, what, query string, args []any) (int, error) {
	var n int
	if err := db.pool.QueryRow(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return n, nil
}

// eventWhere is the WHERE clause (with its leading space) and arguments of f.
func eventWhere(f syncd.EventFilter) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, arg any) {
		args = append(args, arg)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.Source != "" {
		add("source = $%d", f.Source)
	}
	if f.Kind != "" {
		add("kind = $%d", string(f.Kind))
	}
	if !f.Since.IsZero() {
		add("received_at >= $%d", f.Since.UTC())
	}
	if !f.Until.IsZero() {
		add("received_at < $%d", f.Until.UTC())
	}
	if f.AfterID > 0 {
		add("id > $%d", f.AfterID)
	}
	if f.BeforeID > 0 {
		add("id < $%d", f.BeforeID)
	}
	switch f.MapState {
	case "":
	case syncd.MapPending:
		// Named, not a parameter: the mapper's poll runs one prepared
		// statement, which PostgreSQL comes to plan generically, and only
		// a plan that knows the state reads the index of pending events
		// (events_pending) instead of every event.
		where = append(where, "map_state = 'pending'")
	default:
		add("map_state = $%d", string(f.MapState))
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

// scanEvent scans one row of eventColumns, its times given on this host's
// clock (hostTime): they are kept on the server's. ReceivedAtKept is the
// receipt as kept, for a mapping, which must give the same operations
// whichever instance maps the lead.
func (db *DB) scanEvent(r pgx.Row) (syncd.Event, error) {
	var ev syncd.Event
	var payload []byte
	var kind, parse, state string
	var erased, purged, dealt *time.Time
	err := r.Scan(&ev.ID, &ev.Source, &kind, &ev.Type, &ev.Key, &ev.Body, &payload, &parse,
		&ev.ReceivedAt, &ev.LastDeliveryAt, &ev.Deliveries, &ev.RemoteAddr, &state, &ev.MapError, &erased, &purged, &dealt)
	if err != nil {
		return ev, err
	}
	ev.Kind, ev.Parse, ev.MapState = syncd.Kind(kind), syncd.ParseStatus(parse), syncd.MapState(state)
	ev.ReceivedAtKept = ev.ReceivedAt.UTC() // what a mapping reads: the same on every instance
	ev.ReceivedAt, ev.LastDeliveryAt = db.hostTime(ev.ReceivedAt), db.hostTime(ev.LastDeliveryAt)
	ev.ErasedAt, ev.PurgedAt, ev.DealtAt = db.hostTime(utc(erased)), db.hostTime(utc(purged)), db.hostTime(utc(dealt))
	ev.Payload = ev.Body
	if payload != nil {
		ev.Payload = payload
	}
	return ev, nil
}

// PendingEvents returns up to limit events not mapped yet, with an id
// greater than afterID, in id order. It is the mapping worker's queue.
func (db *DB) PendingEvents(ctx context.Context, afterID int64, limit int) ([]syncd.Event, error) {
	return db.Events(ctx, syncd.EventFilter{MapState: syncd.MapPending, AfterID: afterID, Limit: limit})
}

// ReplayEvents returns up to limit events of any mapping state received at
// or after since (zero: any time) from source ("" for all), with an id
// greater than afterID, in id order.
func (db *DB) ReplayEvents(ctx context.Context, since time.Time, source string, afterID int64, limit int) ([]syncd.Event, error) {
	return db.Events(ctx, syncd.EventFilter{Source: source, Since: since, AfterID: afterID, Limit: limit, Kept: true})
}

// Quarantined returns the quarantined bodies f selects by source, received
// time (Since, Until), id (AfterID, BeforeID) and Limit, in id order
// (newest first with f.Newest); the other fields of f do not apply.
func (db *DB) Quarantined(ctx context.Context, f syncd.EventFilter) ([]syncd.Quarantine, error) {
	where, args := quarantineWhere(db.onServerClock(f))
	return listed(ctx, db, "list quarantine", `SELECT `+quarantineColumns+` FROM quarantine`+where+f.OrderLimit(), args, db.scanQuarantine)
}

// CountQuarantined counts the quarantined bodies f selects (see
// Quarantined), ignoring f.Limit.
func (db *DB) CountQuarantined(ctx context.Context, f syncd.EventFilter) (int, error) {
	where, args := quarantineWhere(db.onServerClock(f))
	return counted(ctx, db, "count quarantine", `SELECT count(*) FROM quarantine`+where, args)
}

// QuarantineWaiting counts the quarantined bodies that wait for a person
// by source (see storeapi.Store).
func (db *DB) QuarantineWaiting(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	rows, err := db.pool.Query(ctx, storesql.QuarantineWaitingSQL)
	if err == nil {
		var source string
		var n int
		_, err = pgx.ForEachRow(rows, []any{&source, &n}, func() error { out[source] = n; return nil })
	}
	if err != nil {
		return nil, fmt.Errorf("count quarantine waiting: %w", err)
	}
	return out, nil
}

// quarantineWhere is the WHERE clause (with its leading space) and
// arguments of the fields of f that apply to quarantined bodies.
func quarantineWhere(f syncd.EventFilter) (string, []any) {
	where, args := eventWhere(syncd.EventFilter{Source: f.Source, Since: f.Since, Until: f.Until, AfterID: f.AfterID, BeforeID: f.BeforeID})
	return storesql.QuarantineWhere(where, f.Waiting), args
}

// QuarantinedBody returns one quarantined body by its id.
func (db *DB) QuarantinedBody(ctx context.Context, id int64) (syncd.Quarantine, error) {
	q, err := db.scanQuarantine(db.pool.QueryRow(ctx, `SELECT `+quarantineColumns+` FROM quarantine WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return q, syncd.Errorf(syncd.ENotFound, "quarantined body %d not found", id)
	}
	if err != nil {
		return q, fmt.Errorf("get quarantined body %d: %w", id, err)
	}
	return q, nil
}

const quarantineColumns = `id, source, kind, body, body_sha256, reason, received_at, last_delivery_at,
	deliveries, remote_addr, COALESCE(resolved_event_id, 0), erased_at, purged_at,
	CASE WHEN resolved_event_id IS NULL THEN resolved_at END, COALESCE(changed_of, -1)`

// scanQuarantine scans one row of quarantineColumns, its times given on
// this host's clock (hostTime), as scanEvent does.
func (db *DB) scanQuarantine(r pgx.Row) (syncd.Quarantine, error) {
	var q syncd.Quarantine
	var kind string
	var erased, purged, dismissed *time.Time
	err := r.Scan(&q.ID, &q.Source, &kind, &q.Body, &q.SHA256, &q.Reason, &q.ReceivedAt,
		&q.LastDeliveryAt, &q.Deliveries, &q.RemoteAddr, &q.ResolvedEvent, &erased, &purged, &dismissed,
		&q.ChangedOf)
	q.Kind, q.ReceivedAt, q.LastDeliveryAt = syncd.Kind(kind), db.hostTime(q.ReceivedAt), db.hostTime(q.LastDeliveryAt)
	q.ErasedAt, q.PurgedAt = db.hostTime(utc(erased)), db.hostTime(utc(purged))
	q.DismissedAt = db.hostTime(utc(dismissed))
	return q, err
}

// RecordMapping stores the outcome of mapping one event in one transaction:
// its operations go into the outbox (one identical to an operation already
// there is skipped) and the event's mapping state is set. It returns how
// many operations were new; new ones nudge every instance's syncer.
func (db *DB) RecordMapping(ctx context.Context, eventID int64, state syncd.MapState, reason string, ops []syncd.Op) (int, error) {
	var inserted int
	err := db.tx(ctx, "record mapping", func(tx pgx.Tx) error {
		n, found, err := recordMapping(ctx, tx, db.serverNow(), db.serverNow(), syncd.Mapping{EventID: eventID, State: state, Reason: reason, Ops: ops})
		if err == nil && !found {
			err = mapGone(ctx, tx, eventID)
		}
		inserted = n
		return err
	})
	if err != nil {
		return 0, err
	}
	return inserted, nil
}

// RecordMappings stores the outcomes of mapping many events in one
// transaction, each as RecordMapping does; an event erased, purged or
// deleted meanwhile is skipped. It returns how many operations were new.
func (db *DB) RecordMappings(ctx context.Context, ms []syncd.Mapping) (int, error) {
	var inserted int
	err := db.tx(ctx, "record mappings", func(tx pgx.Tx) error {
		now := db.serverNow()
		for _, m := range ms {
			n, _, err := recordMapping(ctx, tx, now, now, m)
			if err != nil {
				return err
			}
			inserted += n
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return inserted, nil
}

// recordMapping sets one event's mapping state and enqueues its ops within
// tx (mapped at now, its ops due at due: both on the server's clock, as
// received times are); found is false (and nothing written) when the event does not exist
// or was erased or purged: a mapper that read it before must not bring
// the person's data back in operations.
func recordMapping(ctx context.Context, tx pgx.Tx, now, due time.Time, m syncd.Mapping) (inserted int, found bool, err error) {
	tag, err := tx.Exec(ctx, `UPDATE events SET map_state = $1, map_error = $2, mapped_at = $3
		WHERE id = $4 AND erased_at IS NULL AND purged_at IS NULL`,
		string(m.State), m.Reason, now, m.EventID)
	if err != nil || tag.RowsAffected() == 0 {
		return 0, false, err
	}
	for i := range m.Ops {
		m.Ops[i].EventID = m.EventID
	}
	inserted, err = insertOps(ctx, tx, due, m.Ops)
	return inserted, true, err
}

// mapGone tells an event erased or purged (nil: nothing to record) from one
// that does not exist.
func mapGone(ctx context.Context, tx pgx.Tx, eventID int64) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM events WHERE id = $1`, eventID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return syncd.Errorf(syncd.ENotFound, "event %d not found", eventID)
	}
	return nil
}

// DismissQuarantined sets quarantined body id aside as no lead (a port
// scanner's garbage, a test ping), at an operator's word: the row is kept
// for the record, resolved by no event, and its body dropped as the
// retention purge drops it. It returns the row as it was: one dismissed
// already is left as it is (its DismissedAt set). A body repaired into an
// event is refused (EInvalid), one not there is ENotFound.
func (db *DB) DismissQuarantined(ctx context.Context, id int64) (syncd.Quarantine, error) {
	var q syncd.Quarantine
	err := db.tx(ctx, "dismiss quarantine", func(tx pgx.Tx) error {
		var err error
		q, err = db.scanQuarantine(tx.QueryRow(ctx, `SELECT `+quarantineColumns+` FROM quarantine WHERE id = $1 FOR UPDATE`, id))
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return syncd.Errorf(syncd.ENotFound, "quarantined body %d not found", id)
		case err != nil:
			return err
		case q.ResolvedEvent != 0:
			return syncd.Errorf(syncd.EInvalid, "quarantined body %d was repaired as event %d: nothing to dismiss", id, q.ResolvedEvent)
		case !q.DismissedAt.IsZero():
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE quarantine SET resolved_at = $1, body = ''::bytea WHERE id = $2`, db.serverNow(), id)
		return err
	})
	var de *syncd.Error
	if errors.As(err, &de) {
		return q, de
	}
	return q, err
}

// RepairQuarantined turns quarantined body id into an event from a body an
// operator corrected, received when the original was, and marks the
// quarantine row resolved by it (or by the event already stored for the
// same delivery: see repairedJoins). window is the intake's duplicate
// window.
func (db *DB) RepairQuarantined(ctx context.Context, id int64, inc syncd.Incoming, window time.Duration) (syncd.Receipt, error) {
	if inc.Quarantine {
		return syncd.Receipt{}, syncd.Errorf(syncd.EInvalid, "the corrected body does not parse either")
	}
	if window <= 0 {
		window = DefaultDedupWindow
	}
	var rec syncd.Receipt
	err := db.tx(ctx, "repair quarantine", func(tx pgx.Tx) error {
		var kind string
		var resolved, changedOf *int64
		var body []byte
		err := tx.QueryRow(ctx, `SELECT source, kind, received_at, resolved_event_id, body, changed_of FROM quarantine
			WHERE id = $1 FOR UPDATE`, id).Scan(&inc.Source, &kind, &inc.ReceivedAt, &resolved, &body, &changedOf)
		if errors.Is(err, pgx.ErrNoRows) {
			return syncd.Errorf(syncd.ENotFound, "quarantined body %d not found", id)
		}
		if err != nil {
			return err
		}
		if resolved != nil {
			return syncd.Errorf(syncd.EInvalid, "quarantined body %d was already repaired as event %d", id, *resolved)
		}
		inc.Kind = syncd.Kind(kind)
		now := db.serverNow() // as the intake's (the body's received time is the server's already)
		joined := false
		counted := syncd.ChangedUnknown // as judged before changed_of: a body repaired as it is reads as it is
		switch {
		case changedOf != nil:
			counted = *changedOf
		case !bytes.Equal(inc.Body, body):
			counted = 0
		}
		rec, joined, err = repairedJoins(ctx, tx, inc, counted, now, window)
		if err != nil || joined {
			return setResolved(ctx, tx, id, rec, now, err)
		}
		recs, err := storeAll(ctx, tx, []syncd.Incoming{inc}, now, window)
		if err != nil {
			return err
		}
		rec = recs[0]
		return setResolved(ctx, tx, id, rec, now, nil)
	})
	if err != nil {
		var de *syncd.Error
		if errors.As(err, &de) {
			return syncd.Receipt{}, de
		}
		return syncd.Receipt{}, err
	}
	return rec, nil
}

// setResolved marks quarantined body id resolved by rec's event at now,
// unless err.
func setResolved(ctx context.Context, tx pgx.Tx, id int64, rec syncd.Receipt, now time.Time, err error) error {
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE quarantine SET resolved_event_id = $1, resolved_at = $2 WHERE id = $3`, rec.ID, now, id)
	return err
}

// repairedJoins finds the event a repaired body inc is a delivery of: the
// one with its key stored within the duplicate window either side of the
// body's receipt (inc.ReceivedAt), as the intake found it when it came,
// however long ago, not the window back from the repair (intake_keys holds
// a key's newest event only). The body is then a duplicate of that event
// (joined), told changed when it says something else. counted is the
// event the quarantined body's delivery was counted on when it came
// (Quarantine.ChangedOf: a changed delivery of it), 0 for none, or
// syncd.ChangedUnknown for a body kept by a syncd that did not record it,
// repaired as it is (taken for a changed delivery, as before): joining
// that event counts no delivery more, with a copy or without; any other
// counts its delivery there (the SQLite store's repairedJoins).
func repairedJoins(ctx context.Context, tx pgx.Tx, inc syncd.Incoming, counted int64, now time.Time, window time.Duration) (syncd.Receipt, bool, error) {
	var id int64
	var stored []byte
	err := tx.QueryRow(ctx, `UPDATE events SET deliveries = deliveries + CASE WHEN $7::bigint IN (events.id, -1) THEN 0 ELSE 1 END,
			last_delivery_at = CASE WHEN $7::bigint IN (events.id, -1) THEN last_delivery_at ELSE $1 END
		WHERE id = (SELECT id FROM events WHERE received_at BETWEEN $2 AND $3 AND source = $4 AND idem_key = $5
			ORDER BY id LIMIT 1)
		RETURNING id, CASE WHEN body = $6 OR length(body) = 0 THEN NULL ELSE coalesce(payload, body) END`,
		now, inc.ReceivedAt.Add(-window), inc.ReceivedAt.Add(window), inc.Source, inc.Key, inc.Body, counted).Scan(&id, &stored)
	if errors.Is(err, pgx.ErrNoRows) {
		return syncd.Receipt{}, false, nil
	}
	if err != nil {
		return syncd.Receipt{}, false, fmt.Errorf("find the event of the delivery: %w", err)
	}
	return duplicate(id, stored, inc), true, nil
}
