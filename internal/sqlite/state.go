package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/syncd-dev/syncd/internal/storeapi/staterow"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// StateValue returns the persisted value called name and whether it is set.
func (db *DB) StateValue(ctx context.Context, name string) (string, bool, error) {
	var v string
	err := db.r.QueryRowContext(ctx, `SELECT value FROM state WHERE name = ?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("state %s: %w", name, err)
	}
	return v, true, nil
}

// SetStateValue persists value under name.
func (db *DB) SetStateValue(ctx context.Context, name, value string) error {
	_, err := db.w.ExecContext(ctx, setStateSQL, name, value, db.now())
	if err != nil {
		return fmt.Errorf("set state %s: %w", name, err)
	}
	return nil
}

// setStateSQL sets the state row ?1 to the value ?2, updated at ?3.
const setStateSQL = `INSERT INTO state (name, value, updated_at) VALUES (?, ?, ?)
	ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`

// SwapStateValue sets name to value if it holds old now (an unset name
// holds ""), and reports whether it did: a writer that read old writes
// only over what it read, not over another's write made since.
func (db *DB) SwapStateValue(ctx context.Context, name, old, value string) (bool, error) {
	query := `UPDATE state SET value = ?2, updated_at = ?3 WHERE name = ?1 AND value = ?4`
	if old == "" {
		query = `INSERT INTO state (name, value, updated_at) VALUES (?1, ?2, ?3)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at WHERE state.value = ?4`
	}
	res, err := db.w.ExecContext(ctx, query, name, value, db.now(), old)
	if err != nil {
		return false, fmt.Errorf("swap state %s: %w", name, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("swap state %s: %w", name, err)
	}
	return n == 1, nil
}

// DeleteStateValue removes the value called name, if any.
func (db *DB) DeleteStateValue(ctx context.Context, name string) error {
	if _, err := db.w.ExecContext(ctx, `DELETE FROM state WHERE name = ?`, name); err != nil {
		return fmt.Errorf("delete state %s: %w", name, err)
	}
	return nil
}

// AdapterPause returns the pause of the adapter for target; a zero Until
// means it is not paused.
func (db *DB) AdapterPause(ctx context.Context, target string) (syncd.Pause, error) {
	return staterow.AdapterPause(ctx, db, target)
}

// SetAdapterPause pauses the adapter for target as p says; a zero Until
// lifts the pause.
func (db *DB) SetAdapterPause(ctx context.Context, target string, p syncd.Pause) error {
	return staterow.SetAdapterPause(ctx, db, target, p)
}

// CRMFailing returns since when every CRM call for target has failed and
// until when none is tried (the syncer's cool-down), as the syncer stored
// them; zero times while the CRM answers.
func (db *DB) CRMFailing(ctx context.Context, target string) (since, until time.Time, why string, err error) {
	return staterow.CRMFailing(ctx, db, target)
}

// SetCRMFailing records since when every CRM call for target has failed
// and until when none is tried; a zero since clears the record (the CRM
// answers). A since later than the one recorded keeps that one.
func (db *DB) SetCRMFailing(ctx context.Context, target string, since, until time.Time, why string) error {
	return staterow.SetCRMFailing(ctx, db, target, since, until, why)
}

// LastSync returns when the syncer last finished a run for target without
// an error from the store or a pause; zero if never.
func (db *DB) LastSync(ctx context.Context, target string) (time.Time, error) {
	return staterow.LastSync(ctx, db, target)
}

// SetLastSync records t as the last successful sync for target.
func (db *DB) SetLastSync(ctx context.Context, target string, t time.Time) error {
	return staterow.SetLastSync(ctx, db, target, t)
}

// SetLastSyncDrained records t as the last successful sync for target,
// in one statement, unless a lease running now holds a pending operation
// of target (another process sends it, or one killed mid-send held it:
// the run did not send all that was due); it reports whether it did.
func (db *DB) SetLastSyncDrained(ctx context.Context, target string, t time.Time) (bool, error) {
	now := db.now()
	res, err := db.w.ExecContext(ctx, `INSERT INTO state (name, value, updated_at) SELECT ?, ?, ?
		WHERE NOT EXISTS (SELECT 1 FROM outbox INDEXED BY outbox_claim
			WHERE target = ? AND state = 'pending' AND lease_until > ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		staterow.LastSyncName(target), staterow.LastSyncValue(t), now, target, now)
	if err != nil {
		return false, fmt.Errorf("set last sync: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("set last sync: %w", err)
	}
	return n > 0, nil
}

// ServerTime is t as the store keeps it, for a time a caller keeps in a
// state row of its own (SetStateValue): an SQLite database is written by
// one host, so its clock is the store's and t is kept as it is. It is
// the PostgreSQL store's ServerTime, whose instances' clocks may differ.
func (db *DB) ServerTime(t time.Time) time.Time { return t }

// HostTime is t, a time ServerTime gave, on this host's clock: t itself.
func (db *DB) HostTime(t time.Time) time.Time { return t }
