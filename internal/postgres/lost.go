package postgres

// This file lets each instance tell, by the erasure log in its own data
// directory (cmd/syncd), which of the erasures it made a restored backup
// of the database undid: the audit trail is restored as old as the rest.

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Audited returns those of ats (syncd.Erasure.Audited times) that the
// erasure audit trail records: an erasure it lacks was undone by a
// restore of the database.
func (db *DB) Audited(ctx context.Context, ats []time.Time) ([]time.Time, error) {
	rows, _ := db.pool.Query(ctx, `SELECT at FROM erasures WHERE at = ANY($1)`, ats)
	out, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
	if err != nil {
		return nil, fmt.Errorf("erasures audited: %w", err)
	}
	return out, nil
}

// ContactKeys are the contact keys the database holds (in the outbox, the
// CRM links and the create intents): what an erasure recorded outside the
// database by keyed hashes is matched against.
func (db *DB) ContactKeys(ctx context.Context) ([]string, error) {
	rows, _ := db.pool.Query(ctx, `SELECT key FROM outbox WHERE kind = 'contact'
		UNION SELECT key FROM crm_links WHERE kind = 'contact'
		UNION SELECT key FROM crm_intents WHERE kind = 'contact'`)
	keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("contact keys: %w", err)
	}
	return keys, nil
}
