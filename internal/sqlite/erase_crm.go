package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// queueCRMErase puts into the outbox, for target, the operations that erase
// the person's records known by links: one per contact, the deals on the
// first (or on one of their own when no contact is known). It returns how
// many were queued. The syncer sends them like any other operation, with
// retries and dead letters.
//
// Outbox operations belong to an event; an erasure is not one, so it gets a
// row of its own in events that holds no personal data: source "syncd",
// kind "erasure", already erased and never mapped.
func (db *DB) queueCRMErase(ctx context.Context, tx *sql.Tx, target string, links []syncd.Link, now, subjectHash string) (int, error) {
	ops := syncd.EraseOps(links, target)
	if len(ops) == 0 {
		return 0, nil
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO events (source, kind, type, idem_key, body, parse, received_at,
		last_delivery_at, map_state, mapped_at, erased_at) VALUES ('syncd', 'erasure', 'erase', ?, X'', 'strict', ?, ?, 'ignored', ?, ?)`,
		"erasure:"+subjectHash[:16]+":"+now, now, now, now, now)
	if err != nil {
		return 0, fmt.Errorf("queue crm erase: %w", err)
	}
	event, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("queue crm erase: %w", err)
	}
	for i := range ops {
		ops[i].EventID = event
	}
	n, err := db.insertOps(ctx, tx, now, ops)
	if err != nil {
		return 0, fmt.Errorf("queue crm erase: %w", err)
	}
	return n, nil
}
