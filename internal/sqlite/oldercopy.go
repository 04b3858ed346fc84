package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// StateOlderCopy records, on a database found older than a file beside it
// says it must be (cmd/syncd: an erasure the erasure log records and its
// audit lacks), why it was taken for a restored backup: a copy syncd
// backup did not make (cp of a running daemon's file, a disk snapshot),
// which records no time it was taken. Backup drops it from its copy.
const StateOlderCopy = "older_copy"

// FirstRun is when the daemon first ran on this database (InstalledAt),
// without recording it: zero when none has yet.
func (db *DB) FirstRun(ctx context.Context) (time.Time, error) {
	var at sql.NullString
	err := db.r.QueryRowContext(ctx, `SELECT value FROM state WHERE name = ?`, stateInstalled).Scan(&at)
	if err != nil && err != sql.ErrNoRows {
		return time.Time{}, fmt.Errorf("first run: %w", err)
	}
	return parseTime(at), nil
}

// ErasuresSince returns the times of the erasures the audit records after
// since (syncd.TimeFormat's precision: microseconds).
func (db *DB) ErasuresSince(ctx context.Context, since time.Time) ([]time.Time, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT at FROM erasures WHERE at > ?`, fmtTime(since))
	if err != nil {
		return nil, fmt.Errorf("erasures since: %w", err)
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var at sql.NullString
		if err := rows.Scan(&at); err != nil {
			return nil, fmt.Errorf("erasures since: %w", err)
		}
		out = append(out, parseTime(at))
	}
	return out, rows.Err()
}

// MarkOlderCopy marks the database, which existed at since, as a backup
// taken at the newest time it records something at (an event or
// quarantined body received, an erasure, a report made; since, if later):
// a copy of it was taken after then, and holds nothing later. It marks it
// as Backup marks its copy, with why it was found to be one
// (StateOlderCopy): the first writer and the daemon's first start then
// treat it as a restored backup. It returns that time.
func (db *DB) MarkOlderCopy(ctx context.Context, since time.Time, why string) (taken time.Time, err error) {
	err = db.writeTx(ctx, func(tx *sql.Tx) error {
		var newest sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT max(t) FROM (
			SELECT max(received_at) AS t FROM events UNION ALL SELECT max(received_at) FROM quarantine
			UNION ALL SELECT max(at) FROM erasures UNION ALL SELECT max(created_at) FROM reports)`).Scan(&newest)
		if err != nil {
			return err
		}
		taken = parseTime(newest)
		if taken.Before(since) {
			taken = since
		}
		if err := markTaken(ctx, tx, fmtTime(taken)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO state (name, value, updated_at) VALUES (?, ?, ?)`, StateOlderCopy, why, fmtTime(db.Now()))
		return err
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("mark an older copy: %w", err)
	}
	return taken, nil
}

// markTaken records in tx's database that it is a backup taken at taken
// (StateBackupTaken), dropping the rows a restore of it sets and any it
// inherited (restored, ids skipped, found older, the daemon serving it,
// later backups sought).
func markTaken(ctx context.Context, tx *sql.Tx, taken string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM state WHERE name IN (?, ?, ?, ?, ?, ?, ?)`, StateRestoredAt, StateEventIDsSkipped,
		StateQuarantineIDsSkipped, StateOutboxIDsReused, StateOlderCopy, StateServing, StateLaterBackupsSought); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, setStateSQL, StateBackupTaken, taken, taken)
	return err
}
