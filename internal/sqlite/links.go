package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// DB implements syncd.Links on the crm_links table.
var _ syncd.Links = (*DB)(nil)

// Link returns the CRM id recorded for (target, kind, key), or "" if none.
func (db *DB) Link(ctx context.Context, target string, kind syncd.RecordKind, key string) (string, error) {
	var id string
	err := db.r.QueryRowContext(ctx, `SELECT crm_id FROM crm_links WHERE target = ? AND kind = ? AND key = ?`,
		target, string(kind), key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("link: %w", err)
	}
	return id, nil
}

// SetLink records the CRM id for (target, kind, key), replacing any earlier
// one; an empty id forgets the link (the CRM no longer has the record). It
// returns once the record is on disk (DB.Durable): a CRM adapter records an
// id the moment the CRM gave it, before its next call, because for a CRM
// without uniqueness (Pipedrive) a lost id means a duplicate record on the
// next attempt.
func (db *DB) SetLink(ctx context.Context, target string, kind syncd.RecordKind, key, id string) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set link: %w", err)
	}
	defer tx.Rollback()
	if err := db.linkSet(ctx, tx, db.now(), target, kind, key, id); err != nil {
		return fmt.Errorf("set link: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set link: %w", err)
	}
	if err := db.Durable(); err != nil {
		return fmt.Errorf("set link: %w", err)
	}
	return nil
}

// linkSet is the one writer of crm_links: it upserts one link within tx,
// or deletes it when id is empty. Every path that records or forgets a
// CRM id (an adapter through SetLink, a finished operation, a requeued
// contact) goes through it.
func (db *DB) linkSet(ctx context.Context, tx *sql.Tx, now, target string, kind syncd.RecordKind, key, id string) error {
	if id == "" {
		_, err := tx.ExecContext(ctx, `DELETE FROM crm_links WHERE target = ? AND kind = ? AND key = ?`, target, string(kind), key)
		return err
	}
	_, err := tx.StmtContext(ctx, db.ws.setLink).ExecContext(ctx, target, string(kind), key, id, now)
	return err
}

// LinksFor returns the CRM ids recorded for the given keys of one target and
// kind, by key; keys without a link are absent from the map.
func (db *DB) LinksFor(ctx context.Context, target string, kind syncd.RecordKind, keys []string) (map[string]string, error) {
	out := make(map[string]string, len(keys))
	const chunk = 500 // well under SQLite's limit on parameters
	for len(keys) > 0 {
		n := min(len(keys), chunk)
		args := []any{target, string(kind)}
		for _, k := range keys[:n] {
			args = append(args, k)
		}
		q := `SELECT key, crm_id FROM crm_links WHERE target = ? AND kind = ? AND key IN (?` +
			strings.Repeat(", ?", n-1) + `)`
		if err := linkScan(ctx, db.r, q, args, out); err != nil {
			return nil, fmt.Errorf("links for: %w", err)
		}
		keys = keys[n:]
	}
	return out, nil
}

func linkScan(ctx context.Context, r *sql.DB, q string, args []any, out map[string]string) error {
	rows, err := r.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key, id string
		if err := rows.Scan(&key, &id); err != nil {
			return err
		}
		out[key] = id
	}
	return rows.Err()
}
