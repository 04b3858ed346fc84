package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/syncd-dev/syncd/internal/migration"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// DB implements syncd.Links on the crm_links table.
var _ syncd.Links = (*DB)(nil)

// Link returns the CRM id recorded for (target, kind, key), or "" if none.
// An email key is sought in the other form of its domain too, where an
// older syncd stored it (migration.KeyForms), the key as given first.
func (db *DB) Link(ctx context.Context, target string, kind syncd.RecordKind, key string) (string, error) {
	for _, k := range migration.KeyForms(key) {
		if id, err := db.linkOf(ctx, target, kind, k); err != nil || id != "" {
			return id, err
		}
	}
	return "", nil
}

// linkOf is Link of the key as given alone.
func (db *DB) linkOf(ctx context.Context, target string, kind syncd.RecordKind, key string) (string, error) {
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
	if err := db.linkSet(ctx, tx, db.now(), target, kind, key, id, ""); err != nil {
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
// contact) goes through it, or through linkPut for a batch. contactKey,
// of a deal's link, is the key of the contact the deal was made for (a
// finished deal operation's), by which erase finds the person's deals
// once the retention has deleted their operations; "" keeps the one
// recorded.
func (db *DB) linkSet(ctx context.Context, tx *sql.Tx, now, target string, kind syncd.RecordKind, key, id, contactKey string) error {
	if id == "" {
		_, err := tx.ExecContext(ctx, `DELETE FROM crm_links WHERE target = ? AND kind = ? AND key = ?`, target, string(kind), key)
		return err
	}
	return linkPut(ctx, tx.StmtContext(ctx, db.ws.setLink), now, target, kind, key, id, contactKey)
}

// linkPut upserts one link as linkSet does for an id that is not empty,
// through set: db.ws.setLink bound to the caller's transaction, once for
// every link of a batch (tx.StmtContext makes a statement object, and
// adds it to the transaction's list, at each call).
func linkPut(ctx context.Context, set *sql.Stmt, now, target string, kind syncd.RecordKind, key, id, contactKey string) error {
	_, err := set.ExecContext(ctx, target, string(kind), key, id, now, contactKey)
	return err
}

// linksForSQL reads the links of a list of keys in one statement whatever
// their number: ?1 target, ?2 kind, ?3 the keys as a JSON array. Each key
// is sought in crm_links' primary key (TestLinksForSeeksEachKey).
const linksForSQL = `SELECT key, crm_id FROM crm_links
	WHERE target = ?1 AND kind = ?2 AND key IN (SELECT value FROM json_each(?3))`

// DB implements syncd.BatchLinks with LinksFor.
var _ syncd.BatchLinks = (*DB)(nil)

// LinksFor returns the CRM ids recorded for the given keys of one target and
// kind, by key; keys without a link are absent from the map. It is one
// query, however many keys. An email key is sought in its older forms too,
// as Link seeks it (migration.KeyForms).
func (db *DB) LinksFor(ctx context.Context, target string, kind syncd.RecordKind, keys []string) (map[string]string, error) {
	sought, forms := migration.Sought(keys)
	found, err := db.linksFor(ctx, target, kind, sought)
	if err != nil {
		return nil, err
	}
	return migration.ByKey(keys, forms, found), nil
}

// linksFor is LinksFor of the keys as given alone.
func (db *DB) linksFor(ctx context.Context, target string, kind syncd.RecordKind, keys []string) (map[string]string, error) {
	out := make(map[string]string, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	// JSON text holds no invalid UTF-8 (json.Marshal would make it U+FFFD,
	// another key): such a key, which no decoded event gives, is read alone.
	valid := keys
	if i := slices.IndexFunc(keys, func(k string) bool { return !utf8.ValidString(k) }); i >= 0 {
		valid = slices.Clone(keys[:i])
		for _, k := range keys[i:] {
			if utf8.ValidString(k) {
				valid = append(valid, k)
				continue
			}
			id, err := db.linkOf(ctx, target, kind, k)
			if err != nil {
				return nil, fmt.Errorf("links for: %w", err)
			}
			if id != "" {
				out[k] = id
			}
		}
	}
	list, err := json.Marshal(valid)
	if err != nil {
		return nil, fmt.Errorf("links for: %w", err)
	}
	if err := linkScan(ctx, db.r, linksForSQL, []any{target, string(kind), string(list)}, out); err != nil {
		return nil, fmt.Errorf("links for: %w", err)
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
