package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/migration"
	"github.com/syncd-dev/syncd/internal/storeapi/staterow"
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
	err := db.pool.QueryRow(ctx, `SELECT crm_id FROM crm_links WHERE target = $1 AND kind = $2 AND key = $3`,
		target, string(kind), key).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("link: %w", err)
	}
	return id, nil
}

// SetLink records the CRM id for (target, kind, key), replacing any earlier
// one; an empty id forgets the link (the CRM no longer has the record).
func (db *DB) SetLink(ctx context.Context, target string, kind syncd.RecordKind, key, id string) error {
	return db.tx(ctx, "set link", func(tx pgx.Tx) error { return setLink(ctx, tx, db.serverNow(), target, kind, key, id, "") })
}

// setLink is the one writer of crm_links: it upserts one link within tx, or
// deletes it when id is empty. now is on the server's clock (serverNow), as
// the links' retention measures it. contactKey, of a deal's link, is the
// key of the contact it was made for (storesql.DealContact); "" keeps the
// one recorded.
func setLink(ctx context.Context, tx pgx.Tx, now time.Time, target string, kind syncd.RecordKind, key, id, contactKey string) error {
	if id == "" {
		_, err := tx.Exec(ctx, `DELETE FROM crm_links WHERE target = $1 AND kind = $2 AND key = $3`, target, string(kind), key)
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO crm_links (target, kind, key, crm_id, updated_at, contact_key) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (target, kind, key) DO UPDATE SET crm_id = excluded.crm_id,
			updated_at = CASE WHEN crm_links.crm_id <> excluded.crm_id THEN excluded.updated_at ELSE crm_links.updated_at END,
			contact_key = CASE WHEN excluded.contact_key <> '' THEN excluded.contact_key ELSE crm_links.contact_key END
		WHERE crm_links.crm_id <> excluded.crm_id OR (excluded.contact_key <> '' AND crm_links.contact_key <> excluded.contact_key)`,
		target, string(kind), key, id, now, contactKey)
	return err
}

// linksForSQL reads the links of a list of keys: $1 target, $2 kind, $3
// the keys, each sought in crm_links' primary key by its own lookup
// (OFFSET 0 keeps it one, not a join PostgreSQL may make a walk). Written
// key = ANY($3), on a database whose statistics had never been taken (a
// new one, or one migrate-store filled) the keys were a filter on a scan
// of every link of the kind, 10 ms a batch at 30,000 links
// (TestLinksForSeeksEachKey, TestHotStatementsSeekWhateverTheStatistics).
const linksForSQL = `SELECT k.key, l.crm_id FROM unnest($3::text[]) k(key)
	CROSS JOIN LATERAL (SELECT crm_id FROM crm_links WHERE target = $1 AND kind = $2 AND key = k.key OFFSET 0) l`

// DB implements syncd.BatchLinks with LinksFor.
var _ syncd.BatchLinks = (*DB)(nil)

// LinksFor returns the CRM ids recorded for the given keys of one target and
// kind, by key; keys without a link are absent from the map. It is one
// query, each key sought in crm_links' primary key, an email key in its
// older forms too, as Link seeks it (migration.KeyForms).
func (db *DB) LinksFor(ctx context.Context, target string, kind syncd.RecordKind, keys []string) (map[string]string, error) {
	out := make(map[string]string, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	sought, forms := migration.Sought(keys)
	rows, err := db.pool.Query(ctx, linksForSQL, target, string(kind), sought)
	if err != nil {
		return nil, fmt.Errorf("links for: %w", err)
	}
	var key, id string
	_, err = pgx.ForEachRow(rows, []any{&key, &id}, func() error { out[key] = id; return nil })
	if err != nil {
		return nil, fmt.Errorf("links for: %w", err)
	}
	return migration.ByKey(keys, forms, out), nil
}

// StateValue returns the persisted value called name and whether it is set.
func (db *DB) StateValue(ctx context.Context, name string) (string, bool, error) {
	var v string
	err := db.pool.QueryRow(ctx, `SELECT value FROM state WHERE name = $1`, name).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("state %s: %w", name, err)
	}
	return v, true, nil
}

// SetStateValue persists value under name.
func (db *DB) SetStateValue(ctx context.Context, name, value string) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO state (name, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		name, value, db.now())
	if err != nil {
		return fmt.Errorf("set state %s: %w", name, err)
	}
	return nil
}

// SwapStateValue sets name to value if it holds old now (an unset name
// holds ""), and reports whether it did: a writer that read old writes
// only over what it read, not over another's write made since.
func (db *DB) SwapStateValue(ctx context.Context, name, old, value string) (bool, error) {
	query := `UPDATE state SET value = $2, updated_at = $3 WHERE name = $1 AND value = $4`
	if old == "" {
		query = `INSERT INTO state (name, value, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at WHERE state.value = $4`
	}
	tag, err := db.pool.Exec(ctx, query, name, value, db.now(), old)
	if err != nil {
		return false, fmt.Errorf("swap state %s: %w", name, err)
	}
	return tag.RowsAffected() == 1, nil
}

// DeleteStateValue removes the value called name, if any.
func (db *DB) DeleteStateValue(ctx context.Context, name string) error {
	if _, err := db.pool.Exec(ctx, `DELETE FROM state WHERE name = $1`, name); err != nil {
		return fmt.Errorf("delete state %s: %w", name, err)
	}
	return nil
}

// AdapterPause returns the pause of the adapter for target; a zero Until
// means it is not paused. The pause is kept on the database
// server's clock and given on this host's (HostTime): before, a pause set by
// a leader minutes ahead ran those minutes longer for the next one.
func (db *DB) AdapterPause(ctx context.Context, target string) (syncd.Pause, error) {
	return staterow.AdapterPause(ctx, db, target)
}

// SetAdapterPause pauses the adapter for target as p says; a zero Until
// lifts the pause. Every instance sees it.
func (db *DB) SetAdapterPause(ctx context.Context, target string, p syncd.Pause) error {
	return staterow.SetAdapterPause(ctx, db, target, p)
}

// CRMFailing returns since when every CRM call for target has failed and
// until when none is tried (the sync leader's cool-down), as that leader
// stored them; zero times while the CRM answers. Both are kept on the
// database server's clock and given on this host's (HostTime): before,
// each leader wrote its own, so a new leader whose clock ran ten minutes
// ahead took a cool-down that had just ended as over for ten minutes (its
// outage began anew, not carried on), and outbox list on another host
// said pending operations went ten minutes off.
func (db *DB) CRMFailing(ctx context.Context, target string) (since, until time.Time, why string, err error) {
	return staterow.CRMFailing(ctx, db, target)
}

// SetCRMFailing records since when every CRM call for target has failed
// and until when none is tried, both on this host's clock; a zero since
// clears the record (the CRM answers). Every instance sees it. A since
// later than the one recorded keeps that one.
func (db *DB) SetCRMFailing(ctx context.Context, target string, since, until time.Time, why string) error {
	return staterow.SetCRMFailing(ctx, db, target, since, until, why)
}

// LastSync returns when the syncer last finished a run for target without
// an error from the store or a pause; zero if never. It is kept on the
// database server's clock and given on this host's (HostTime): before,
// each sync leader wrote its own, so status on a host whose clock was
// right said a leader ten minutes ahead synced "in 10m", and the
// sync-overdue alert there came ten minutes late.
func (db *DB) LastSync(ctx context.Context, target string) (time.Time, error) {
	return staterow.LastSync(ctx, db, target)
}

// SetLastSync records t, on this host's clock, as the last successful
// sync for target.
func (db *DB) SetLastSync(ctx context.Context, target string, t time.Time) error {
	return staterow.SetLastSync(ctx, db, target, t)
}

// SetLastSyncDrained records t (on this host's clock, as SetLastSync) as
// the last successful sync for target, in one statement, unless a lease running now (on the server's clock, as
// the claim sets them) holds a pending operation of target (another
// instance sends it, or one killed mid-send held it: the run did not send
// all that was due); it reports whether it did.
func (db *DB) SetLastSyncDrained(ctx context.Context, target string, t time.Time) (bool, error) {
	tag, err := db.pool.Exec(ctx, setLastSyncDrainedSQL,
		staterow.LastSyncName(target), staterow.LastSyncValue(db.serverTime(t)), db.now(), target, db.serverNow())
	if err != nil {
		return false, fmt.Errorf("set last sync: %w", err)
	}
	return tag.RowsAffected() > 0, nil
}

// setLastSyncDrainedSQL is SetLastSyncDrained's statement: $1 the state
// row, $2 its value, $3 now, $4 the target, $5 now on the server's clock.
// The leases running are sought in outbox_leased (migration 0017), which
// holds the pending operations under a lease alone: it read every pending
// operation of the target at each run, and a generic plan walked the whole
// outbox (TestHotStatementsSeekWhateverTheStatistics).
const setLastSyncDrainedSQL = `INSERT INTO state (name, value, updated_at) SELECT $1::text, $2::text, $3::timestamptz
	WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE target = $4 AND state = 'pending' AND lease_until > $5)
	ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`
