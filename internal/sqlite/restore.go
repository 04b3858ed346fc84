package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// StateEventIDsSkipped records, on a restored backup, the event ids its
// first writer gave up: "FIRST-LAST", ids the database the backup was
// taken of may have given to events received after the backup, which the
// copy does not hold. LAST+1 is the restore's own row; new events get ids
// from LAST+2. Backup drops it from its copy, like StateRestoredAt.
// StateQuarantineIDsSkipped is the same for quarantined bodies: a
// workbook names them for `syncd events repair`.
//
// StateOutboxIDsReused holds, on a restored backup, the first outbox
// operation id its first writer could give: the database the backup was
// taken of may have given it and those after it to other operations
// (named in its log, `syncd outbox show` and `retry`). They are not
// skipped: a row holding them would be one no CRM operation is, met by
// every reader of the outbox (depths, metrics, lists, report, erasure).
const (
	StateEventIDsSkipped      = "event_ids_skipped"
	StateQuarantineIDsSkipped = "quarantine_ids_skipped"
	StateOutboxIDsReused      = "outbox_ids_reused"
)

// idBlock is what the ids skipped on a restore are counted in: a million
// for each day (or part of one) the backup is older than the restore, more
// than a daemon receives in a day, and the new ids start after a round
// million.
const idBlock = 1_000_000

// SkipLostEventIDs makes new events and quarantined bodies get ids none
// can have had before a restore, on a restored backup (one Backup marked)
// that no writer has opened yet: an event's id is in the senders' answers,
// the log and the workbooks, and SQLite would otherwise give the next id
// after the copy's last again. It records the ids skipped, and a row of
// kind "restore" (no body, never mapped) after them holds them from being
// given again. It also releases the outbox leases the copy holds (its
// syncer runs no more). It returns the event ids skipped, first and last;
// zero for a database that is no restored backup.
func (db *DB) SkipLostEventIDs(ctx context.Context) (first, last int64, err error) {
	// Read first: most opens are of no restore, or of one skipped already,
	// and need not wait for the writer.
	if v, ok, err := db.StateValue(ctx, StateEventIDsSkipped); err != nil || ok {
		if err != nil {
			return 0, 0, err
		}
		return ParseSkippedIDs(v)
	}
	if _, ok, err := db.StateValue(ctx, StateBackupTaken); err != nil || !ok {
		return 0, 0, err
	}
	err = db.writeTx(ctx, func(tx *sql.Tx) error {
		first, last, err = skipLostEventIDs(ctx, tx, db.Now())
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("skip lost event ids: %w", err)
	}
	return first, last, nil
}

func skipLostEventIDs(ctx context.Context, tx *sql.Tx, now time.Time) (first, last int64, err error) {
	var taken, skipped sql.NullString
	err = tx.QueryRowContext(ctx, `SELECT (SELECT value FROM state WHERE name = ?), (SELECT value FROM state WHERE name = ?)`,
		StateBackupTaken, StateEventIDsSkipped).Scan(&taken, &skipped)
	if err != nil || !taken.Valid {
		return 0, 0, err
	}
	if skipped.Valid {
		return ParseSkippedIDs(skipped.String)
	}
	t, err := syncd.ParseTime(taken.String)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %w", StateBackupTaken, err)
	}
	days := max(int64((now.Sub(t)+24*time.Hour-1)/(24*time.Hour)), 1)
	at := fmtTime(now)
	first, last, err = skipIDs(ctx, tx, "events", StateEventIDsSkipped, days, at)
	if err != nil {
		return 0, 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO events (id, source, kind, type, idem_key, body, parse, received_at,
		last_delivery_at, map_state, mapped_at, erased_at) VALUES (?, 'syncd', ?, 'restore', ?, X'', 'strict', ?, ?, 'ignored', ?, ?)`,
		last+1, syncd.KindRestore, "restore:"+taken.String, at, at, at, at); err != nil {
		return 0, 0, err
	}
	_, qlast, err := skipIDs(ctx, tx, "quarantine", StateQuarantineIDsSkipped, days, at)
	if err != nil {
		return 0, 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO state (name, value, updated_at)
		SELECT ?, COALESCE(max(id), 0) + 1, ? FROM outbox`, StateOutboxIDsReused, at); err != nil {
		return 0, 0, err
	}
	// The leases the copy holds are those of the syncer of the database it
	// was taken of, which runs no more: left, they hold the operations
	// back (and erase refuses them as being sent) until they run out.
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET lease_until = NULL WHERE lease_until IS NOT NULL`); err != nil {
		return 0, 0, err
	}
	// Resolved (to the restore's event): nothing to repair, no attention.
	_, err = tx.ExecContext(ctx, `INSERT INTO quarantine (id, source, kind, body, body_sha256, reason, received_at,
		last_delivery_at, resolved_event_id, resolved_at, changed_of) VALUES (?, 'syncd', ?, X'', '', ?, ?, ?, ?, ?, 0)`,
		qlast+1, syncd.KindRestore, "restore: ids before this one may have named bodies quarantined after the backup was taken",
		at, at, last+1, at)
	return first, last, err
}

// skipIDs records in the state row name that the ids of table from the
// one after its last to the end of days million more are skipped, and
// returns them.
func skipIDs(ctx context.Context, tx *sql.Tx, table, name string, days int64, at string) (first, last int64, err error) {
	var top int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM `+table).Scan(&top); err != nil {
		return 0, 0, err
	}
	first, last = top+1, (top/idBlock+1+days)*idBlock-1
	_, err = tx.ExecContext(ctx, `INSERT INTO state (name, value, updated_at) VALUES (?, ?, ?)`,
		name, fmt.Sprintf("%d-%d", first, last), at)
	return first, last, err
}

// ParseSkippedIDs reads the value of StateEventIDsSkipped.
func ParseSkippedIDs(v string) (first, last int64, err error) {
	a, b, ok := strings.Cut(v, "-")
	if first, err = strconv.ParseInt(a, 10, 64); err == nil && ok {
		last, err = strconv.ParseInt(b, 10, 64)
	}
	if err != nil || !ok {
		return 0, 0, errors.New(StateEventIDsSkipped + ": not FIRST-LAST: " + v)
	}
	return first, last, nil
}

// SkippedIDs are ids a restore skipped, First to Last, when the restored
// backup was first written to, At.
type SkippedIDs struct {
	First, Last int64
	At          time.Time
}

// Skipped returns the ids of events (of quarantined bodies, with
// quarantine) every restore this database went through skipped, oldest
// first: those of this restore, and those of the restores before the
// backup it is was taken (StateEventIDsSkipped, which Backup drops from
// its copy, holds this restore's alone). Each restore's row (kind
// "restore", kept for ever) follows the ids it skipped, which start after
// the id before it. None for a database that was never restored.
func (db *DB) Skipped(ctx context.Context, quarantine bool) ([]SkippedIDs, error) {
	table := "events"
	if quarantine {
		table = "quarantine"
	}
	rows, err := db.r.QueryContext(ctx, `SELECT r.id, r.received_at, (SELECT COALESCE(max(id), 0) FROM `+table+` WHERE id < r.id)
		FROM `+table+` r WHERE r.kind = ? ORDER BY r.id`, syncd.KindRestore)
	if err != nil {
		return nil, fmt.Errorf("ids skipped by restores: %w", err)
	}
	defer rows.Close()
	var out []SkippedIDs
	for rows.Next() {
		var id, before int64
		var at sql.NullString
		if err := rows.Scan(&id, &at, &before); err != nil {
			return nil, fmt.Errorf("ids skipped by restores: %w", err)
		}
		if before+1 <= id-1 {
			out = append(out, SkippedIDs{First: before + 1, Last: id - 1, At: parseTime(at)})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ids skipped by restores: %w", err)
	}
	return out, nil
}

// ContactKeys are the contact keys the database holds (in the outbox, the
// CRM links and the create intents): on a restored backup, what an erasure
// recorded outside the database by keyed hashes is matched against.
func (db *DB) ContactKeys(ctx context.Context) ([]string, error) {
	keys, err := column[string](ctx, db.r, `SELECT key FROM outbox WHERE kind = 'contact'
		UNION SELECT key FROM crm_links WHERE kind = 'contact'
		UNION SELECT key FROM crm_intents WHERE kind = 'contact'`)
	if err != nil {
		return nil, fmt.Errorf("contact keys: %w", err)
	}
	return keys, nil
}

// RestoreOpenedAt is when the first writer opened the database as a
// restored backup (and skipped the lost ids): what tells one restore of a
// backup from another of the same backup. Zero for a database that is no
// restored backup, or one no writer opened yet.
func (db *DB) RestoreOpenedAt(ctx context.Context) (time.Time, error) {
	var at sql.NullString
	err := db.r.QueryRowContext(ctx, `SELECT updated_at FROM state WHERE name = ?`, StateEventIDsSkipped).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("restore opened at: %w", err)
	}
	return parseTime(at), nil
}
