package sqlite

// This file finds one person's events for erase and export: in their
// bodies, their operations' properties and the operations' contact keys.
//
// Erase searches once: PersonData's read transaction, which does not hold
// up the intake writer, walks the whole events and outbox tables and notes
// how far it read (searchedNow); erase's write transaction then erases
// what it found, by id, and looks only at the rows added since
// (storedSince): one naming the person makes it erase nothing, to be read
// again. Bodies and properties are never rewritten, only emptied (purge,
// erase) or deleted, so no row read before can come to name the person.

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// opRow is an outbox operation as the search sees it: its contact (its
// key for a contact, its contact's for a deal) and whether its event's
// body was purged.
type opRow struct {
	op, event       int64
	contact         string
	key, contactKey string
	purged          bool
}

// opRowColumns select an opRow from outbox o joined to its event e.
const opRowColumns = `SELECT o.id, o.event_id, iif(o.kind = 'contact', o.key, o.contact_key), o.key, o.contact_key,
	e.purged_at IS NOT NULL`

// opRowFrom is where opRowColumns read.
const opRowFrom = ` FROM outbox o LEFT JOIN events e ON e.id = o.event_id WHERE `

// searchedNow returns how far a search in q's transaction reads: the
// highest event, operation and quarantined body ids, and the highest
// operation's creation time and hash (should it be gone later,
// storedSince reads the whole outbox: before migration 0017 SQLite gave a
// deleted highest id again).
func searchedNow(ctx context.Context, tx *sql.Tx) (syncd.Searched, error) {
	var at syncd.Searched
	err := tx.QueryRowContext(ctx, `SELECT (SELECT COALESCE(max(id), 0) FROM events),
		COALESCE((SELECT id FROM outbox ORDER BY id DESC LIMIT 1), 0),
		COALESCE((SELECT created_at || ' ' || props_hash FROM outbox ORDER BY id DESC LIMIT 1), ''),
		(SELECT COALESCE(max(id), 0) FROM quarantine)`).Scan(&at.Events, &at.Ops, &at.Mark, &at.Quarantine)
	if err != nil {
		return at, fmt.Errorf("find events: %w", err)
	}
	return at, nil
}

// personEvents returns the ids of the events, not yet erased, whose body or
// payload mentions s, or whose outbox operations are keyed by s or name s
// in their properties (kept after the event's body was purged), with the
// purged events of the contacts found so, and the events, erased or not,
// whose type or key names s.
func personEvents(ctx context.Context, q queryer, s syncd.Subject) ([]int64, error) {
	bodies, err := mentioningEvents(ctx, q, s, 0, 0)
	if err != nil {
		return nil, err
	}
	named, err := mentioningOps(ctx, q, s, 0, 0)
	if err != nil {
		return nil, err
	}
	// A purged event's body no longer says whose it is: its operations keyed
	// by a contact found above are the person's (a deal holding their name).
	var keys []string
	for _, r := range named {
		if r.purged && r.contact != "" && !slices.Contains(keys, r.contact) {
			keys = append(keys, r.contact)
		}
	}
	cands, err := keyedOps(ctx, q, slices.Concat(s.KeyValues(), keys), 0, 0)
	if err != nil {
		return nil, err
	}
	fields, err := fieldEvents(ctx, q, s)
	if err != nil {
		return nil, err
	}
	ids := append(bodies, fields...)
	for _, r := range named {
		ids = append(ids, r.event)
	}
	for _, r := range cands {
		keyed := s.HasKey(r.key) || s.HasKey(r.contactKey)
		learned := r.purged && (slices.Contains(keys, r.key) || slices.Contains(keys, r.contactKey))
		if keyed || learned {
			ids = append(ids, r.event)
		}
	}
	seen := map[int64]bool{}
	out := ids[:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id], out = true, append(out, id)
		}
	}
	return out, nil
}

// storedSince returns a syncd.EChanged error when rows stored since the
// search that found pd name s: events or quarantined bodies that mention
// the person, operations whose properties do, keyed by s.Keys, or of the
// events found (a lead the mapper mapped since: its contact may be
// another's). It reads only those rows, by id, but for the whole outbox
// when pd's highest operation is gone or not the one it was.
func storedSince(ctx context.Context, q queryer, s syncd.Subject, pd syncd.PersonData) error {
	at := pd.Searched
	events, err := mentioningEvents(ctx, q, s, at.Events, 0)
	if err != nil {
		return err
	}
	quarantined, err := mentioningQuarantine(ctx, q, s, at.Quarantine, 0)
	if err != nil {
		return err
	}
	if at.Ops > 0 {
		marks, err := column[string](ctx, q, `SELECT created_at || ' ' || props_hash FROM outbox WHERE id = ?`, at.Ops)
		if err != nil {
			return fmt.Errorf("find operations: %w", err)
		}
		if len(marks) != 1 || marks[0] != at.Mark {
			at.Ops = 0
		}
	}
	ops, err := opsSince(ctx, q, s, eventIDs(pd), at.Ops)
	if err != nil {
		return err
	}
	ops = slices.DeleteFunc(ops, func(id int64) bool {
		return slices.ContainsFunc(pd.Ops, func(op syncd.Op) bool { return op.ID == id })
	})
	if n := len(events) + len(quarantined) + len(ops); n > 0 {
		return syncd.ErrStoredSince(len(events), len(quarantined), len(ops))
	}
	return nil
}

// opsSince returns the ids of the operations after id after that name s
// in their properties, are keyed by s.Keys or belong to the events ids.
func opsSince(ctx context.Context, q queryer, s syncd.Subject, ids []int64, after int64) ([]int64, error) {
	named, err := mentioningOps(ctx, q, s, after, 0)
	if err != nil {
		return nil, err
	}
	keyed, err := keyedOps(ctx, q, s.KeyValues(), after, 0)
	if err != nil {
		return nil, err
	}
	of, err := searchOps(ctx, q, `o.id > ? AND o.event_id IN (SELECT value FROM json_each(?))`, after, jsonList(ids))
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, r := range slices.Concat(named, keyed, of) {
		if !slices.Contains(out, r.op) {
			out = append(out, r.op)
		}
	}
	return out, nil
}

// eventIDs are the ids of pd's events.
func eventIDs(pd syncd.PersonData) []int64 {
	ids := make([]int64, len(pd.Events))
	for i, e := range pd.Events {
		ids[i] = e.ID
	}
	return ids
}

// quarantineIDs are the ids of pd's quarantined bodies.
func quarantineIDs(pd syncd.PersonData) []int64 {
	ids := make([]int64, len(pd.Quarantined))
	for i, q := range pd.Quarantined {
		ids[i] = q.ID
	}
	return ids
}

// mentioningQuarantine returns the ids of the quarantined bodies in
// (after, upTo] (upTo 0: no bound), neither erased nor purged, that
// mention s, searched as raw bytes.
func mentioningQuarantine(ctx context.Context, q queryer, s syncd.Subject, after, upTo int64) ([]int64, error) {
	cond, args := idRange("id", after, upTo)
	rows, err := q.QueryContext(ctx, `SELECT id, body FROM quarantine WHERE `+cond+` AND erased_at IS NULL AND length(body) > 0`, args...)
	if err != nil {
		return nil, fmt.Errorf("find quarantined bodies: %w", err)
	}
	defer rows.Close()
	var ids []int64
	var body sql.RawBytes
	m := s.Matcher()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id, &body); err != nil {
			return nil, fmt.Errorf("find quarantined bodies: %w", err)
		}
		if m.Match(body) {
			ids = append(ids, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find quarantined bodies: %w", err)
	}
	return ids, nil
}

// idRange is the condition on col of the rows in (after, upTo] (upTo 0:
// no bound), with its arguments.
func idRange(col string, after, upTo int64) (string, []any) {
	if upTo > 0 {
		return col + ` > ? AND ` + col + ` <= ?`, []any{after, upTo}
	}
	return col + ` > ?`, []any{after}
}

// mentioningEvents returns the ids of the events in (after, upTo] (upTo 0:
// no bound), not erased and with a body, whose body or payload mentions s.
// The bodies are searched here rather than in SQL: once each, not once per
// form of the identifier.
func mentioningEvents(ctx context.Context, q queryer, s syncd.Subject, after, upTo int64) ([]int64, error) {
	cond, args := idRange("id", after, upTo)
	rows, err := q.QueryContext(ctx, `SELECT id, body, COALESCE(payload, '') FROM events
		WHERE `+cond+` AND erased_at IS NULL AND length(body) > 0`, args...)
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	defer rows.Close()
	var ids []int64
	var body, payload sql.RawBytes
	m := s.Matcher()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id, &body, &payload); err != nil {
			return nil, fmt.Errorf("find events: %w", err)
		}
		if m.Match(body) || m.Match(payload) {
			ids = append(ids, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	return ids, nil
}

// fieldEvents returns the ids of the events whose type or idempotency
// key names s (syncd.FieldsName): fields of the sender's, kept past the
// body (erased for another person, purged), where a sender may have put
// an address. They are small: every event is read.
func fieldEvents(ctx context.Context, q queryer, s syncd.Subject) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, kind, type, idem_key FROM events`)
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	defer rows.Close()
	var ids []int64
	m := s.Matcher()
	for rows.Next() {
		var id int64
		var kind, typ, key string
		if err := rows.Scan(&id, &kind, &typ, &key); err != nil {
			return nil, fmt.Errorf("find events: %w", err)
		}
		if syncd.FieldsName(syncd.Kind(kind), typ, key, m) {
			ids = append(ids, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	return ids, nil
}

// mentioningOps returns the outbox operations in (after, upTo] (upTo 0: no
// bound) whose properties mention s. Of those whose event's body was
// purged, the contact (keyed by email when found by phone) is the
// person's.
func mentioningOps(ctx context.Context, q queryer, s syncd.Subject, after, upTo int64) ([]opRow, error) {
	cond, args := idRange("o.id", after, upTo)
	rows, err := q.QueryContext(ctx, opRowColumns+`, o.properties`+opRowFrom+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("find operations: %w", err)
	}
	defer rows.Close()
	var out []opRow
	var props sql.RawBytes
	m := s.Matcher()
	for rows.Next() {
		var r opRow
		if err := rows.Scan(&r.op, &r.event, &r.contact, &r.key, &r.contactKey, &r.purged, &props); err != nil {
			return nil, fmt.Errorf("find operations: %w", err)
		}
		if m.Match(props) {
			out = append(out, r)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find operations: %w", err)
	}
	return out, nil
}

// keyedOps returns the outbox operations in (after, upTo] (upTo 0: no
// bound) keyed by one of keys, or whose contact is.
func keyedOps(ctx context.Context, q queryer, keys []string, after, upTo int64) ([]opRow, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	cond, args := idRange("o.id", after, upTo)
	return searchOps(ctx, q, cond+` AND (o.key IN (SELECT value FROM json_each(?)) OR o.contact_key IN (SELECT value FROM json_each(?)))`,
		append(args, jsonList(keys), jsonList(keys))...)
}

func searchOps(ctx context.Context, q queryer, where string, args ...any) ([]opRow, error) {
	rows, err := q.QueryContext(ctx, opRowColumns+opRowFrom+where, args...)
	if err != nil {
		return nil, fmt.Errorf("find operations: %w", err)
	}
	defer rows.Close()
	var out []opRow
	for rows.Next() {
		var r opRow
		if err := rows.Scan(&r.op, &r.event, &r.contact, &r.key, &r.contactKey, &r.purged); err != nil {
			return nil, fmt.Errorf("find operations: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find operations: %w", err)
	}
	return out, nil
}
