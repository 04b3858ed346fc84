package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// DB implements syncd.Links on the crm_links table.
var _ syncd.Links = (*DB)(nil)

// Link returns the CRM id recorded for (target, kind, key), or "" if none.
func (db *DB) Link(ctx context.Context, target string, kind syncd.RecordKind, key string) (string, error) {
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
	return db.tx(ctx, "set link", func(tx pgx.Tx) error { return setLink(ctx, tx, db.now(), target, kind, key, id) })
}

// setLink is the one writer of crm_links: it upserts one link within tx, or
// deletes it when id is empty.
func setLink(ctx context.Context, tx pgx.Tx, now time.Time, target string, kind syncd.RecordKind, key, id string) error {
	if id == "" {
		_, err := tx.Exec(ctx, `DELETE FROM crm_links WHERE target = $1 AND kind = $2 AND key = $3`, target, string(kind), key)
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO crm_links (target, kind, key, crm_id, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (target, kind, key) DO UPDATE SET crm_id = excluded.crm_id, updated_at = excluded.updated_at
		WHERE crm_links.crm_id <> excluded.crm_id`, target, string(kind), key, id, now)
	return err
}

// LinksFor returns the CRM ids recorded for the given keys of one target and
// kind, by key; keys without a link are absent from the map.
func (db *DB) LinksFor(ctx context.Context, target string, kind syncd.RecordKind, keys []string) (map[string]string, error) {
	out := make(map[string]string, len(keys))
	rows, err := db.pool.Query(ctx, `SELECT key, crm_id FROM crm_links WHERE target = $1 AND kind = $2 AND key = ANY($3)`,
		target, string(kind), keys)
	if err != nil {
		return nil, fmt.Errorf("links for: %w", err)
	}
	var key, id string
	_, err = pgx.ForEachRow(rows, []any{&key, &id}, func() error { out[key] = id; return nil })
	if err != nil {
		return nil, fmt.Errorf("links for: %w", err)
	}
	return out, nil
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

// statePause is how an adapter pause is stored (as in the SQLite store).
type statePause struct {
	Until  string `json:"until"`
	Reason string `json:"reason"`
}

// AdapterPause returns until when the adapter for target is paused and why;
// a zero time means it is not paused. The pause is kept on the database
// server's clock and given on this host's (hostTime): before, a pause set by
// a leader minutes ahead ran those minutes longer for the next one.
func (db *DB) AdapterPause(ctx context.Context, target string) (time.Time, string, error) {
	v, ok, err := db.StateValue(ctx, "adapter_pause:"+target)
	if err != nil || !ok {
		return time.Time{}, "", err
	}
	var p statePause
	if err := json.Unmarshal([]byte(v), &p); err != nil {
		return time.Time{}, "", fmt.Errorf("adapter pause %s: %w", target, err)
	}
	until, _ := syncd.ParseTime(p.Until)
	return db.hostTime(until), p.Reason, nil
}

// SetAdapterPause pauses the adapter for target until the given time, with
// a reason; a zero until lifts the pause. Every instance sees it.
func (db *DB) SetAdapterPause(ctx context.Context, target string, until time.Time, reason string) error {
	if until.IsZero() {
		return db.DeleteStateValue(ctx, "adapter_pause:"+target)
	}
	b, err := json.Marshal(statePause{Until: syncd.FormatTime(db.serverTime(until)), Reason: reason})
	if err != nil {
		return fmt.Errorf("set adapter pause: %w", err)
	}
	return db.SetStateValue(ctx, "adapter_pause:"+target, string(b))
}

// crmFailingName is the state row of target's CRM failing every call.
func crmFailingName(target string) string { return "crm_failing:" + target }

// stateFailing is how the CRM failing every call is stored (as in the
// SQLite store).
type stateFailing struct {
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
}

// CRMFailing returns since when every CRM call for target has failed and
// until when none is tried (the sync leader's cool-down), as that leader
// stored them; zero times while the CRM answers. Both are kept on the
// database server's clock and given on this host's (hostTime): before,
// each leader wrote its own, so a new leader whose clock ran ten minutes
// ahead took a cool-down that had just ended as over for ten minutes (its
// outage began anew, not carried on), and outbox list on another host
// said pending operations went ten minutes off.
func (db *DB) CRMFailing(ctx context.Context, target string) (since, until time.Time, err error) {
	v, ok, err := db.StateValue(ctx, crmFailingName(target))
	if err != nil || !ok || v == "" {
		return time.Time{}, time.Time{}, err
	}
	var f stateFailing
	if err := json.Unmarshal([]byte(v), &f); err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("crm failing %s: %w", target, err)
	}
	return db.hostTime(f.Since), db.hostTime(f.Until), nil
}

// SetCRMFailing records since when every CRM call for target has failed
// and until when none is tried, both on this host's clock; a zero since
// clears the record (the CRM answers). Every instance sees it. A since
// later than the one recorded keeps that one (as in the SQLite store).
func (db *DB) SetCRMFailing(ctx context.Context, target string, since, until time.Time) error {
	if since.IsZero() {
		return db.DeleteStateValue(ctx, crmFailingName(target))
	}
	if first, _, err := db.CRMFailing(ctx, target); err == nil && !first.IsZero() && first.Before(since) {
		since = first
	}
	b, err := json.Marshal(stateFailing{Since: db.serverTime(since), Until: db.serverTime(until)})
	if err != nil {
		return fmt.Errorf("set crm failing: %w", err)
	}
	return db.SetStateValue(ctx, crmFailingName(target), string(b))
}

// LastSync returns when the syncer last finished a run for target without
// an error from the store or a pause; zero if never. It is kept on the
// database server's clock and given on this host's (hostTime): before,
// each sync leader wrote its own, so status on a host whose clock was
// right said a leader ten minutes ahead synced "in 10m", and the
// sync-overdue alert there came ten minutes late.
func (db *DB) LastSync(ctx context.Context, target string) (time.Time, error) {
	v, ok, err := db.StateValue(ctx, "last_sync:"+target)
	if err != nil || !ok {
		return time.Time{}, err
	}
	t, _ := syncd.ParseTime(v)
	return db.hostTime(t), nil
}

// SetLastSync records t, on this host's clock, as the last successful
// sync for target.
func (db *DB) SetLastSync(ctx context.Context, target string, t time.Time) error {
	return db.SetStateValue(ctx, "last_sync:"+target, syncd.FormatTime(db.serverTime(t)))
}

// SetLastSyncDrained records t (on this host's clock, as SetLastSync) as
// the last successful sync for target, in one statement, unless a lease running now (on the server's clock, as
// the claim sets them) holds a pending operation of target (another
// instance sends it, or one killed mid-send held it: the run did not send
// all that was due); it reports whether it did.
func (db *DB) SetLastSyncDrained(ctx context.Context, target string, t time.Time) (bool, error) {
	tag, err := db.pool.Exec(ctx, `INSERT INTO state (name, value, updated_at) SELECT $1::text, $2::text, $3::timestamptz
		WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE target = $4 AND state = 'pending' AND lease_until > $5)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		"last_sync:"+target, syncd.FormatTime(db.serverTime(t)), db.now(), target, db.serverNow())
	if err != nil {
		return false, fmt.Errorf("set last sync: %w", err)
	}
	return tag.RowsAffected() > 0, nil
}
