package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
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
	_, err := db.w.ExecContext(ctx, `INSERT INTO state (name, value, updated_at) VALUES (?, ?, ?)
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

// statePause is how an adapter pause is stored.
type statePause struct {
	Until  string `json:"until"`
	Reason string `json:"reason"`
}

func statePauseName(target string) string { return "adapter_pause:" + target }

// AdapterPause returns until when the adapter for target is paused and why;
// a zero time means it is not paused.
func (db *DB) AdapterPause(ctx context.Context, target string) (time.Time, string, error) {
	v, ok, err := db.StateValue(ctx, statePauseName(target))
	if err != nil || !ok {
		return time.Time{}, "", err
	}
	var p statePause
	if err := json.Unmarshal([]byte(v), &p); err != nil {
		return time.Time{}, "", fmt.Errorf("adapter pause %s: %w", target, err)
	}
	return parseTime(sql.NullString{String: p.Until, Valid: true}), p.Reason, nil
}

// SetAdapterPause pauses the adapter for target until the given time, with
// a reason; a zero until lifts the pause.
func (db *DB) SetAdapterPause(ctx context.Context, target string, until time.Time, reason string) error {
	if until.IsZero() {
		return db.DeleteStateValue(ctx, statePauseName(target))
	}
	b, err := json.Marshal(statePause{Until: fmtTime(until), Reason: reason})
	if err != nil {
		return fmt.Errorf("set adapter pause: %w", err)
	}
	return db.SetStateValue(ctx, statePauseName(target), string(b))
}

// crmFailingName is the state row of target's CRM failing every call.
func crmFailingName(target string) string { return "crm_failing:" + target }

// stateFailing is how the CRM failing every call is stored.
type stateFailing struct {
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
}

// CRMFailing returns since when every CRM call for target has failed and
// until when none is tried (the syncer's cool-down), as the syncer stored
// them; zero times while the CRM answers.
func (db *DB) CRMFailing(ctx context.Context, target string) (since, until time.Time, err error) {
	v, ok, err := db.StateValue(ctx, crmFailingName(target))
	if err != nil || !ok || v == "" {
		return time.Time{}, time.Time{}, err
	}
	var f stateFailing
	if err := json.Unmarshal([]byte(v), &f); err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("crm failing %s: %w", target, err)
	}
	return f.Since.UTC(), f.Until.UTC(), nil
}

// SetCRMFailing records since when every CRM call for target has failed
// and until when none is tried; a zero since clears the record (the CRM
// answers). A since later than the one recorded keeps that one: each
// `syncd sync` run, or a new syncer, finds the outage anew, and status
// said the CRM had failed for minutes when it had for hours.
func (db *DB) SetCRMFailing(ctx context.Context, target string, since, until time.Time) error {
	if since.IsZero() {
		return db.DeleteStateValue(ctx, crmFailingName(target))
	}
	if first, _, err := db.CRMFailing(ctx, target); err == nil && !first.IsZero() && first.Before(since) {
		since = first
	}
	b, err := json.Marshal(stateFailing{Since: since.UTC(), Until: until.UTC()})
	if err != nil {
		return fmt.Errorf("set crm failing: %w", err)
	}
	return db.SetStateValue(ctx, crmFailingName(target), string(b))
}

func stateLastSyncName(target string) string { return "last_sync:" + target }

// LastSync returns when the syncer last finished a run for target without
// an error from the store or a pause; zero if never.
func (db *DB) LastSync(ctx context.Context, target string) (time.Time, error) {
	v, ok, err := db.StateValue(ctx, stateLastSyncName(target))
	if err != nil || !ok {
		return time.Time{}, err
	}
	return parseTime(sql.NullString{String: v, Valid: true}), nil
}

// SetLastSync records t as the last successful sync for target.
func (db *DB) SetLastSync(ctx context.Context, target string, t time.Time) error {
	return db.SetStateValue(ctx, stateLastSyncName(target), fmtTime(t))
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
		stateLastSyncName(target), fmtTime(t), now, target, now)
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
