package sqlite

// This file finds one person's events for erase and export: in their
// bodies, their operations' properties and the operations' contact keys.

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// found is what a search for one person found so far: the events, the
// contact keys named by operations of purged events that mention them,
// and the highest event and operation ids searched (0: none).
type found struct {
	ids         []int64
	keys        []string
	events, ops int64
}

// snapshotSearch searches the events and operations for s in a read
// transaction, which does not hold up the intake writer; the write
// transaction then searches only the rows added since (personEvents).
func (db *DB) snapshotSearch(ctx context.Context, s syncd.Subject) (found, error) {
	var f found
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return f, fmt.Errorf("find events: %w", err)
	}
	defer tx.Rollback()
	err = tx.QueryRowContext(ctx, `SELECT (SELECT COALESCE(max(id), 0) FROM events),
		(SELECT COALESCE(max(id), 0) FROM outbox)`).Scan(&f.events, &f.ops)
	if err != nil || f.events == 0 {
		return f, err
	}
	if f.ids, err = mentioningEvents(ctx, tx, s, 0, f.events); err != nil {
		return f, err
	}
	named, keys, err := mentioningOps(ctx, tx, s, 0, f.ops)
	f.ids, f.keys = append(f.ids, named...), keys
	return f, err
}

// personEvents returns the ids of the events, not yet erased, whose body or
// payload mentions s, or whose outbox operations are keyed by s or name s
// in their properties (kept after the event's body was purged), with the
// purged events of the contacts found so. pre is what a snapshot found
// among the rows up to its ids: only later ones are searched.
func personEvents(ctx context.Context, q queryer, s syncd.Subject, pre found) ([]int64, error) {
	late, err := mentioningEvents(ctx, q, s, pre.events, 0)
	if err != nil {
		return nil, err
	}
	named, keys, err := mentioningOps(ctx, q, s, pre.ops, 0)
	if err != nil {
		return nil, err
	}
	keyed, err := int64s(ctx, q, `SELECT DISTINCT event_id FROM outbox
		WHERE key IN (SELECT value FROM json_each(?1)) OR contact_key IN (SELECT value FROM json_each(?1))`, jsonList(s.Keys))
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	// A purged event's body no longer says whose it is: its operations keyed
	// by a contact found above are the person's (a deal holding their name).
	learned, err := int64s(ctx, q, `SELECT DISTINCT o.event_id FROM outbox o JOIN events e ON e.id = o.event_id
		WHERE e.purged_at IS NOT NULL
		AND (o.key IN (SELECT value FROM json_each(?1)) OR o.contact_key IN (SELECT value FROM json_each(?1)))`,
		jsonList(slices.Concat(pre.keys, keys)))
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	seen := map[int64]bool{}
	var ids []int64
	for _, id := range slices.Concat(pre.ids, late, keyed, named, learned) {
		if !seen[id] {
			seen[id], ids = true, append(ids, id)
		}
	}
	return ids, nil
}

// mentioningEvents returns the ids of the events in (after, upTo] (upTo 0:
// no bound), not erased and with a body, whose body or payload mentions s.
// The bodies are searched here rather than in SQL: once each, not once per
// form of the identifier.
func mentioningEvents(ctx context.Context, q queryer, s syncd.Subject, after, upTo int64) ([]int64, error) {
	query := `SELECT id, body, COALESCE(payload, '') FROM events WHERE id > ? AND erased_at IS NULL AND length(body) > 0`
	args := []any{after}
	if upTo > 0 {
		query += ` AND id <= ?`
		args = append(args, upTo)
	}
	rows, err := q.QueryContext(ctx, query, args...)
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

// mentioningOps returns the events of the outbox operations in (after,
// upTo] (upTo 0: no bound) whose properties mention s, and the contact keys
// those operations name (the person's contact, keyed by email when found
// by phone) when their event's body was purged.
func mentioningOps(ctx context.Context, q queryer, s syncd.Subject, after, upTo int64) (ids []int64, keys []string, err error) {
	query := `SELECT o.event_id, iif(e.purged_at IS NULL, '', iif(o.kind = 'contact', o.key, o.contact_key)), o.properties
		FROM outbox o JOIN events e ON e.id = o.event_id WHERE o.id > ?`
	args := []any{after}
	if upTo > 0 {
		query += ` AND o.id <= ?`
		args = append(args, upTo)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("find operations: %w", err)
	}
	defer rows.Close()
	var props sql.RawBytes
	m := s.Matcher()
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key, &props); err != nil {
			return nil, nil, fmt.Errorf("find operations: %w", err)
		}
		if m.Match(props) {
			ids = append(ids, id)
			if key != "" && !slices.Contains(keys, key) {
				keys = append(keys, key)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("find operations: %w", err)
	}
	return ids, keys, nil
}
