package postgres

// This file finds the events of a subject given by event ids (syncd erase
// -event) or by a contact name (syncd export -name), rather than by an
// email or a phone, as the SQLite store does: see syncd.Subject.Events
// and Subject.Name.

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// subjectEvents returns the ids of the events s stands for: those of
// s.Events that exist, those whose lead's contact name is s.Name, or
// those that name the person (personEvents).
func subjectEvents(ctx context.Context, tx pgx.Tx, s syncd.Subject) ([]int64, error) {
	switch {
	case len(s.Events) > 0:
		ids, err := int64s(ctx, tx, `SELECT id FROM events WHERE id = ANY($1) ORDER BY id`, s.Events)
		if err != nil {
			return nil, fmt.Errorf("find events: %w", err)
		}
		return ids, nil
	case s.Name != "":
		return namedEvents(ctx, tx, s.Name)
	}
	return personEvents(ctx, tx, s)
}

// namedEvents returns the ids of the events, neither erased nor purged,
// whose lead's contact name (sender.LeadName) is name (a syncd.NameKey).
// Each body is read once, in Go: a name sits in a field of its sender's.
func namedEvents(ctx context.Context, tx pgx.Tx, name string) ([]int64, error) {
	var ids []int64
	var id int64
	var kind string
	var body, payload []byte
	rows, _ := tx.Query(ctx, `SELECT id, kind, body, COALESCE(payload, ''::bytea) FROM events
		WHERE erased_at IS NULL AND length(body) > 0 ORDER BY id`)
	_, err := pgx.ForEachRow(rows, []any{&id, &kind, &body, &payload}, func() error {
		if len(payload) == 0 { // the payload is the body as standard JSON, when it had to be made so
			payload = body
		}
		if syncd.NameKey(sender.LeadName(syncd.Kind(kind), payload)) == name {
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	return ids, nil
}

// subjectQuarantine returns the quarantined bodies of s: those repaired
// into the events ids (copies of them) when s is given by events or by
// name, else those that name the person (personQuarantine).
func (db *DB) subjectQuarantine(ctx context.Context, tx pgx.Tx, s syncd.Subject, ids []int64) ([]syncd.Quarantine, error) {
	if len(s.Events) == 0 && s.Name == "" {
		return db.personQuarantine(ctx, tx, s)
	}
	rows, err := tx.Query(ctx, `SELECT `+quarantineColumns+` FROM quarantine WHERE erased_at IS NULL AND length(body) > 0
		AND resolved_event_id = ANY($1) ORDER BY id`, ids)
	if err != nil {
		return nil, fmt.Errorf("find quarantined: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (syncd.Quarantine, error) { return db.scanQuarantine(r) })
	if err != nil {
		return nil, fmt.Errorf("find quarantined: %w", err)
	}
	return out, nil
}
