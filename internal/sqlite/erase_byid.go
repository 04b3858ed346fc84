package sqlite

// This file finds the events of a subject given by event ids (syncd erase
// -event) or by a contact name (syncd export -name), rather than by an
// email or a phone: see syncd.Subject.Events and Subject.Name.

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// subjectEvents returns the ids of the events s stands for: those of
// s.Events that exist, those whose lead's contact name is s.Name, or
// those that name the person (personEvents).
func subjectEvents(ctx context.Context, q queryer, s syncd.Subject) ([]int64, error) {
	switch {
	case len(s.Events) > 0:
		ids, err := column[int64](ctx, q, `SELECT id FROM events WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`, jsonList(s.Events))
		if err != nil {
			return nil, fmt.Errorf("find events: %w", err)
		}
		return ids, nil
	case s.Name != "":
		return namedEvents(ctx, q, s.Name)
	}
	return personEvents(ctx, q, s)
}

// namedEvents returns the ids of the events, neither erased nor purged,
// whose lead's contact name (sender.LeadName) is name (a syncd.NameKey).
// Each body is read once, in Go: a name sits in a field of its sender's.
func namedEvents(ctx context.Context, q queryer, name string) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, kind, body, COALESCE(payload, '') FROM events
		WHERE erased_at IS NULL AND length(body) > 0 ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	defer rows.Close()
	var ids []int64
	var body, payload sql.RawBytes
	for rows.Next() {
		var id int64
		var kind string
		if err := rows.Scan(&id, &kind, &body, &payload); err != nil {
			return nil, fmt.Errorf("find events: %w", err)
		}
		if len(payload) == 0 { // the payload is the body as standard JSON, when it had to be made so
			payload = body
		}
		if syncd.NameKey(sender.LeadName(syncd.Kind(kind), payload)) == name {
			ids = append(ids, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	return ids, nil
}

// subjectQuarantine returns the quarantined bodies of s: those repaired
// into the events ids (copies of them) when s is given by events or by
// name, else those that name the person (personQuarantine).
func subjectQuarantine(ctx context.Context, tx *sql.Tx, s syncd.Subject, ids []int64) ([]syncd.Quarantine, error) {
	if len(s.Events) == 0 && s.Name == "" {
		return personQuarantine(ctx, tx, s)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+quarantineColumns+` FROM quarantine WHERE erased_at IS NULL AND length(body) > 0
		AND resolved_event_id IN (SELECT value FROM json_each(?)) ORDER BY id`, jsonList(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []syncd.Quarantine
	for rows.Next() {
		q, err := scanQuarantine(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}
