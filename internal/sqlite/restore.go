package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
	now := db.Now()
	before := readRestores(db.path)
	var qlast int64
	var fresh bool
	err = db.writeTx(ctx, func(tx *sql.Tx) error {
		first, last, qlast, fresh, err = skipLostEventIDs(ctx, tx, now, before)
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("skip lost event ids: %w", err)
	}
	if fresh {
		// Best effort: without it, only a restore at this place again
		// within the day skips too few.
		_ = writeRestores(db.path, append(before, restoreRecord{At: now.UTC(), EventIDsFrom: last + 2, QuarantineIDsFrom: qlast + 2}))
	}
	return first, last, nil
}

// restoreRecord is one restore at a database's place, recorded beside it
// (restoresFile) by its first writer: when, and from which ids it gave
// new events and quarantined bodies. The database it replaced, and any
// backup restored there again, holds none of it.
type restoreRecord struct {
	At                time.Time `json:"at"`
	EventIDsFrom      int64     `json:"event_ids_from"`
	QuarantineIDsFrom int64     `json:"quarantine_ids_from"`
}

// restoresFile is where the restores at the place of the database at path
// are recorded: a hidden file beside it, with no personal data (times
// and ids), readable by all.
func restoresFile(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".restores")
}

// readRestores reads the restores recorded beside the database at path;
// none when there is no record, or it cannot be read (a line that does
// not read is passed over).
func readRestores(path string) []restoreRecord {
	b, err := os.ReadFile(restoresFile(path))
	if err != nil {
		return nil
	}
	var out []restoreRecord
	for line := range strings.Lines(string(b)) {
		var r restoreRecord
		if json.Unmarshal([]byte(line), &r) == nil && !r.At.IsZero() {
			out = append(out, r)
		}
	}
	return out
}

// writeRestores replaces the record of the restores beside the database
// at path with list: written to a temporary file and renamed into place,
// so that the user writing it need not be the one who wrote it before.
func writeRestores(path string, list []restoreRecord) error {
	var b []byte
	for _, r := range list {
		line, err := json.Marshal(r)
		if err != nil {
			return err
		}
		b = append(append(b, line...), '\n')
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".restores.*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // fails harmlessly once renamed
	_, err = f.Write(b)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), restoresFile(path))
	}
	return err
}

// givenSince is the last id a database restored at this place before
// (a restore recorded in before) may have given by now, events' (with
// quarantine, the quarantined bodies'), at most a million for each day
// (or part of one) since that restore, as skipIDs counts for a backup; 0
// for none. A restore whose ids the backup holds (top, its last id, is
// one of them or after) is passed over: the backup was taken of that
// database, and what it gave since is counted from the backup's time.
func givenSince(before []restoreRecord, now time.Time, quarantine bool, top int64) int64 {
	var given int64
	for _, r := range before {
		from := r.EventIDsFrom
		if quarantine {
			from = r.QuarantineIDsFrom
		}
		if from <= top {
			continue
		}
		days := max(int64((now.Sub(r.At)+24*time.Hour-1)/(24*time.Hour)), 1)
		given = max(given, from+days*idBlock-1)
	}
	return given
}

func skipLostEventIDs(ctx context.Context, tx *sql.Tx, now time.Time, before []restoreRecord) (first, last, qlast int64, fresh bool, err error) {
	var taken, skipped sql.NullString
	err = tx.QueryRowContext(ctx, `SELECT (SELECT value FROM state WHERE name = ?), (SELECT value FROM state WHERE name = ?)`,
		StateBackupTaken, StateEventIDsSkipped).Scan(&taken, &skipped)
	if err != nil || !taken.Valid {
		return 0, 0, 0, false, err
	}
	if skipped.Valid {
		first, last, err = ParseSkippedIDs(skipped.String)
		return first, last, 0, false, err
	}
	t, err := syncd.ParseTime(taken.String)
	if err != nil {
		return 0, 0, 0, false, fmt.Errorf("%s: %w", StateBackupTaken, err)
	}
	days := max(int64((now.Sub(t)+24*time.Hour-1)/(24*time.Hour)), 1)
	at := fmtTime(now)
	first, last, err = skipIDs(ctx, tx, "events", StateEventIDsSkipped, days, func(top int64) int64 {
		return givenSince(before, now, false, top)
	}, at)
	if err != nil {
		return 0, 0, 0, false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO events (id, source, kind, type, idem_key, body, parse, received_at,
		last_delivery_at, map_state, mapped_at, erased_at) VALUES (?, 'syncd', ?, 'restore', ?, X'', 'strict', ?, ?, 'ignored', ?, ?)`,
		last+1, syncd.KindRestore, "restore:"+taken.String, at, at, at, at); err != nil {
		return 0, 0, 0, false, err
	}
	_, qlast, err = skipIDs(ctx, tx, "quarantine", StateQuarantineIDsSkipped, days, func(top int64) int64 {
		return givenSince(before, now, true, top)
	}, at)
	if err != nil {
		return 0, 0, 0, false, err
	}
	// The next id the outbox gives: past the highest it ever gave
	// (sqlite_sequence), which may be above the highest it holds.
	if _, err := tx.ExecContext(ctx, `INSERT INTO state (name, value, updated_at)
		SELECT ?, max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0),
			COALESCE((SELECT max(id) FROM outbox), 0)) + 1, ?`, StateOutboxIDsReused, at); err != nil {
		return 0, 0, 0, false, err
	}
	// The leases the copy holds are those of the syncer of the database it
	// was taken of, which runs no more: left, they hold the operations
	// back (and erase refuses them as being sent) until they run out.
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET lease_until = NULL WHERE lease_until IS NOT NULL`); err != nil {
		return 0, 0, 0, false, err
	}
	// Resolved (to the restore's event): nothing to repair, no attention.
	_, err = tx.ExecContext(ctx, `INSERT INTO quarantine (id, source, kind, body, body_sha256, reason, received_at,
		last_delivery_at, resolved_event_id, resolved_at, changed_of) VALUES (?, 'syncd', ?, X'', '', ?, ?, ?, ?, ?, 0)`,
		qlast+1, syncd.KindRestore, "restore: ids before this one may have named bodies quarantined after the backup was taken",
		at, at, last+1, at)
	return first, last, qlast, err == nil, err
}

// skipIDs records in the state row name that the ids of table from the
// one after its last to the end of days million more are skipped, and
// past those a database restored at this place before may have given
// since (givenSince, of table's last id), up to a round million, and
// returns them.
func skipIDs(ctx context.Context, tx *sql.Tx, table, name string, days int64, givenSince func(top int64) int64, at string) (first, last int64, err error) {
	var top int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM `+table).Scan(&top); err != nil {
		return 0, 0, err
	}
	first, last = top+1, (top/idBlock+1+days)*idBlock-1
	if given := givenSince(top); given > last {
		last = (given/idBlock+1)*idBlock - 1
	}
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
