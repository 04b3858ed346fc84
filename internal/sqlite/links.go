package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// DB implements syncd.Links on the crm_links table.
var _ syncd.Links = (*DB)(nil)

// Link returns the CRM id recorded for (target, kind, key), or "" if none.
func (db *DB) Link(ctx context.Context, target string, kind syncd.RecordKind, key string) (string, error) {
	var id string
	err := db.R.QueryRowContext(ctx, `SELECT crm_id FROM crm_links WHERE target = ? AND kind = ? AND key = ?`,
		target, string(kind), key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("link: %w", err)
	}
	return id, nil
}

// SetLink records the CRM id for (target, kind, key), replacing any earlier one.
func (db *DB) SetLink(ctx context.Context, target string, kind syncd.RecordKind, key, id string) error {
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set link: %w", err)
	}
	defer tx.Rollback()
	if err := linkSet(ctx, tx, db.now(), target, kind, key, id); err != nil {
		return fmt.Errorf("set link: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set link: %w", err)
	}
	return nil
}

// linkSet upserts one link within tx.
func linkSet(ctx context.Context, tx *sql.Tx, now, target string, kind syncd.RecordKind, key, id string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO crm_links (target, kind, key, crm_id, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (target, kind, key) DO UPDATE SET crm_id = excluded.crm_id, updated_at = excluded.updated_at
		WHERE crm_id <> excluded.crm_id`, target, string(kind), key, id, now)
	return err
}
