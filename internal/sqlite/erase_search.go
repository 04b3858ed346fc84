package sqlite

// This file finds one person's events for erase and export: in their
// bodies, their operations' properties and the operations' contact keys.
//
// Erase searches in two phases: a read transaction (snapshotSearch), which
// does not hold up the intake writer, walks the whole events and outbox
// tables; the write transaction (personEvents) then looks again only at
// what the snapshot found, by id, and at the rows added since. Bodies and
// properties are never rewritten, only emptied (purge, erase) or deleted,
// so that gives exactly what one search in the write transaction would.

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// found is what a snapshot found among the rows up to its highest event
// and operation ids (0: none searched).
type found struct {
	events, ops int64
	// mark names operation ops (its creation time and hash): should it be
	// gone in the write transaction, a later operation may have taken its
	// id (SQLite reuses the highest), and the outbox is searched again.
	mark   string
	bodies []int64  // events whose body or payload mentions the person
	named  []int64  // operations whose properties mention them
	keys   []string // the contact keys of those operations, purged or not
	keyed  []int64  // operations keyed by the person's keys or by keys
	// quarantine is the highest quarantined body id searched, quarantined
	// those that mention the person.
	quarantine  int64
	quarantined []int64
}

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

// snapshotSearch searches the events and operations for s in a read
// transaction, which does not hold up the intake writer; the write
// transaction then looks only at what it found and at the rows added since
// (personEvents).
func (db *DB) snapshotSearch(ctx context.Context, s syncd.Subject) (found, error) {
	var f found
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return f, fmt.Errorf("find events: %w", err)
	}
	defer tx.Rollback()
	err = tx.QueryRowContext(ctx, `SELECT (SELECT COALESCE(max(id), 0) FROM events),
		COALESCE((SELECT id FROM outbox ORDER BY id DESC LIMIT 1), 0),
		COALESCE((SELECT created_at || ' ' || props_hash FROM outbox ORDER BY id DESC LIMIT 1), ''),
		(SELECT COALESCE(max(id), 0) FROM quarantine)`).Scan(&f.events, &f.ops, &f.mark, &f.quarantine)
	if err != nil {
		return f, fmt.Errorf("find events: %w", err)
	}
	if f.quarantine > 0 {
		if f.quarantined, err = mentioningQuarantine(ctx, tx, s, 0, f.quarantine); err != nil {
			return f, err
		}
	}
	if f.events == 0 {
		return f, nil
	}
	if f.bodies, err = mentioningEvents(ctx, tx, s, 0, f.events); err != nil {
		return f, err
	}
	named, err := mentioningOps(ctx, tx, s, 0, f.ops)
	if err != nil {
		return f, err
	}
	for _, r := range named {
		f.named = append(f.named, r.op)
		if r.contact != "" && !slices.Contains(f.keys, r.contact) {
			f.keys = append(f.keys, r.contact)
		}
	}
	keyed, err := keyedOps(ctx, tx, slices.Concat(s.Keys, f.keys), 0, f.ops)
	for _, r := range keyed {
		f.keyed = append(f.keyed, r.op)
	}
	return f, err
}

// personEvents returns the ids of the events, not yet erased, whose body or
// payload mentions s, or whose outbox operations are keyed by s or name s
// in their properties (kept after the event's body was purged), with the
// purged events of the contacts found so. pre is what a snapshot found
// among the rows up to its ids: those are looked at again by id, and only
// later rows are searched (found{}: every row).
func personEvents(ctx context.Context, q queryer, s syncd.Subject, pre found) ([]int64, error) {
	pre, err := stillMarked(ctx, q, pre)
	if err != nil {
		return nil, err
	}
	bodies, err := stillHeld(ctx, q, s, pre)
	if err != nil {
		return nil, err
	}
	named, err := namingOps(ctx, q, s, pre)
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
	cands, err := candidateOps(ctx, q, s, pre, keys)
	if err != nil {
		return nil, err
	}
	ids := bodies
	for _, r := range named {
		ids = append(ids, r.event)
	}
	for _, r := range cands {
		keyed := slices.Contains(s.Keys, r.key) || slices.Contains(s.Keys, r.contactKey)
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

// stillMarked returns pre, or, when its highest operation is gone (a
// later one may hold its id now), pre without what it found in the outbox,
// to be searched whole again.
func stillMarked(ctx context.Context, q queryer, pre found) (found, error) {
	if pre.ops == 0 {
		return pre, nil
	}
	marks, err := strs(ctx, q, `SELECT created_at || ' ' || props_hash FROM outbox WHERE id = ?`, pre.ops)
	if err != nil {
		return pre, fmt.Errorf("find operations: %w", err)
	}
	if len(marks) == 1 && marks[0] == pre.mark {
		return pre, nil
	}
	return found{events: pre.events, bodies: pre.bodies}, nil
}

// stillHeld returns the events of pre.bodies that still hold their body
// (neither purged nor erased since) and those after pre.events that
// mention s.
func stillHeld(ctx context.Context, q queryer, s syncd.Subject, pre found) ([]int64, error) {
	ids, err := holdingBodies(ctx, q, "events", pre.bodies)
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	late, err := mentioningEvents(ctx, q, s, pre.events, 0)
	return append(ids, late...), err
}

// holdingBodies returns those of ids, rows of table (events or
// quarantine), that still hold their body: neither purged nor erased.
func holdingBodies(ctx context.Context, q queryer, table string, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return int64s(ctx, q, `SELECT id FROM `+table+` WHERE id IN (SELECT value FROM json_each(?))
		AND erased_at IS NULL AND length(body) > 0`, jsonList(ids))
}

// namingOps returns the operations of pre.named still there and those
// after pre.ops whose properties mention s.
func namingOps(ctx context.Context, q queryer, s syncd.Subject, pre found) ([]opRow, error) {
	rows, err := opRowsByID(ctx, q, pre.named)
	if err != nil {
		return nil, err
	}
	late, err := mentioningOps(ctx, q, s, pre.ops, 0)
	return append(rows, late...), err
}

// candidateOps returns the operations that may be keyed by s.Keys or by
// keys: those of pre.keyed still there, the later ones keyed so, and,
// for a key the snapshot did not search by (its event purged since, or
// its operation added since), every one keyed by it.
func candidateOps(ctx context.Context, q queryer, s syncd.Subject, pre found, keys []string) ([]opRow, error) {
	rows, err := opRowsByID(ctx, q, pre.keyed)
	if err != nil {
		return nil, err
	}
	searched := slices.Concat(s.Keys, pre.keys)
	late, err := keyedOps(ctx, q, slices.Concat(searched, keys), pre.ops, 0)
	if err != nil {
		return nil, err
	}
	rows = append(rows, late...)
	var unsearched []string
	for _, k := range keys {
		if !slices.Contains(searched, k) {
			unsearched = append(unsearched, k)
		}
	}
	if len(unsearched) == 0 || pre.ops == 0 {
		return rows, nil
	}
	early, err := keyedOps(ctx, q, unsearched, 0, pre.ops)
	return append(rows, early...), err
}

// personQuarantineIDs returns the quarantined bodies of pre.quarantined
// still held (neither purged nor erased since) and those after
// pre.quarantine that mention s (found{}: every one).
func personQuarantineIDs(ctx context.Context, q queryer, s syncd.Subject, pre found) ([]int64, error) {
	ids, err := holdingBodies(ctx, q, "quarantine", pre.quarantined)
	if err != nil {
		return nil, fmt.Errorf("find quarantined bodies: %w", err)
	}
	late, err := mentioningQuarantine(ctx, q, s, pre.quarantine, 0)
	return append(ids, late...), err
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

// opRowsByID returns the operations of ids that are still in the outbox.
func opRowsByID(ctx context.Context, q queryer, ids []int64) ([]opRow, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return searchOps(ctx, q, `o.id IN (SELECT value FROM json_each(?))`, jsonList(ids))
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
