package postgres

// This file finds and erases one person in the events' type and
// idempotency key, as the SQLite store does: the sender's fields, kept
// past the body, where a sender may have put an address.

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// fieldEvents returns the ids of the events whose type or idempotency
// key names s (syncd.FieldsName), whatever became of their bodies (erased
// for another person, purged). They are small: every event is read.
func fieldEvents(ctx context.Context, tx pgx.Tx, s syncd.Subject) ([]int64, error) {
	m := s.Matcher()
	var ids []int64
	var id int64
	var kind, typ, key string
	rows, _ := tx.Query(ctx, `SELECT id, kind, type, idem_key FROM events`)
	_, err := pgx.ForEachRow(rows, []any{&id, &kind, &typ, &key}, func() error {
		if syncd.FieldsName(syncd.Kind(kind), typ, key, m) {
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	return ids, nil
}

// eraseFields drops from the events found what their type and
// idempotency key say of the person m matches, or anything but a plain
// type or id (syncd.ErasedType, syncd.ErasedKey), and returns when each
// was received of those erased before (for another person), which
// eraseEvents does not count. The duplicate window's intake_keys keeps
// the key until the window has passed (the purge sweeps it): a delivery
// the sender sends again meanwhile is a duplicate, as on SQLite (whose
// window holds a hash of the key), not the erased person's lead again.
func eraseFields(ctx context.Context, tx pgx.Tx, found []syncd.Event, m *syncd.Matcher) ([]time.Time, error) {
	var again []time.Time
	for _, ev := range found {
		typ, key := syncd.ErasedType(ev.Type, m), syncd.ErasedKey(ev.Key, ev.ID, m)
		if typ == ev.Type && key == ev.Key || !syncd.SendersFields(ev.Kind) {
			continue
		}
		if _, err := tx.Exec(ctx, `UPDATE events SET type = $1, idem_key = $2 WHERE id = $3`, typ, key, ev.ID); err != nil {
			return nil, fmt.Errorf("erase events: %w", err)
		}
		if !ev.ErasedAt.IsZero() {
			again = append(again, ev.ReceivedAt)
		}
	}
	return again, nil
}
