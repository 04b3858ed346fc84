package postgres

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// A column of a copied table and how its value is read from the source:
// 't' text, 'i' integer, 'b' bytes, 'n' nullable bytes, 'T' time stored as
// text in syncd.TimeFormat, 'N' the same but nullable, 'I' nullable integer,
// 'B' a boolean stored as 0 or 1.
type column struct {
	name string
	kind byte
}

// copyTables are the tables copied from a SQLite store, in an order that
// satisfies the foreign keys.
var copyTables = []struct {
	name  string
	cols  []column
	where string // rows left out, when set: an SQL condition on the SQLite table
}{
	{name: "events", cols: cols("id:i source:t kind:t type:t idem_key:t body:b payload:n parse:t received_at:T " +
		"last_delivery_at:T deliveries:i remote_addr:t map_state:t map_error:t mapped_at:N erased_at:N purged_at:N dealt_at:N")},
	{name: "quarantine", cols: cols("id:i source:t kind:t body:b body_sha256:t reason:t received_at:T last_delivery_at:T " +
		"deliveries:i remote_addr:t resolved_event_id:I resolved_at:N erased_at:N purged_at:N changed_of:I")},
	{name: "outbox", cols: cols("id:i event_id:i target:t kind:t key:t contact_key:t properties:t props_hash:t mapping_file:t " +
		"mapping_hash:t state:t attempts:i next_attempt_at:T lease_until:N last_error:t crm_id:t created_at:T " +
		"updated_at:T done_at:N key_kind:t dead_cause:t")},
	{name: "crm_links", cols: cols("target:t kind:t key:t crm_id:t updated_at:T contact_key:t")},
	{name: "crm_intents", cols: cols("target:t kind:t key:t sent_at:T")},
	{name: "reports", cols: cols("day:t path:t created_at:T leads:i mail_state:t mail_attempts:i mail_error:t mailed_at:N partial:B mail_waiting:t " +
		"mail_refused:i mail_refused_who:t mail_held:B mail_unattached:t")},
	// Not the rows that mean something to the SQLite store alone:
	// "serving", the SQLite daemon's mark that it serves the file
	// (sqlite.StateServing), which migrate-store's own open writes too
	// (changing at each open, it made a second run take the copy for
	// changed since); "seen_keys.through" and "seen_keys.window", how far
	// the SQLite intake swept its duplicate keys (intake_keys here).
	{name: "state", cols: cols("name:t value:t updated_at:T"),
		where: "name NOT IN ('serving', 'seen_keys.through', 'seen_keys.window')"},
	{name: "erasures", cols: cols("id:i at:T subject_hash:t events:i quarantined:i ops:i links:i crm_ops:i intents:i reports:i")},
}

func cols(spec string) []column {
	var out []column
	for _, f := range strings.Fields(spec) {
		name, kind, _ := strings.Cut(f, ":")
		out = append(out, column{name, kind[0]})
	}
	return out
}

// CopyFrom copies every row of a SQLite store (src, read through
// database/sql) into this database, which must hold no events yet, in one
// transaction, keeping ids; it returns the rows copied per table, and
// records them (copyMark). Run again on a database holding a copy it
// made, it copies nothing and returns a *CopiedError saying whether src
// still holds what was copied.
func (db *DB) CopyFrom(ctx context.Context, src *sql.DB) (map[string]int64, error) {
	var counts map[string]int64
	err := db.tx(ctx, "copy", func(tx pgx.Tx) error {
		// Each table is read whole from SQLite between two statements:
		// longer than idleInTransaction for a large store. It is written
		// in one statement, after waiting for the tables an instance may
		// be writing: a statement_timeout or lock_timeout set on the role
		// or the database (a DBA's guard) cancelled the copy.
		if _, err := tx.Exec(ctx, `SET LOCAL idle_in_transaction_session_timeout = 0; `+
			`SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = 0`); err != nil {
			return err
		}
		// An instance already running on this database (started before
		// the copy) would store a lead between the check and the copy,
		// holding an id or key the copy brings: its writes wait for the
		// copy's commit instead, and readers go on.
		if err := lockCopied(ctx, tx); err != nil {
			return err
		}
		if err := checkEmpty(ctx, tx); syncd.ErrorCode(err) == syncd.EInvalid {
			return copiedBefore(ctx, tx, src, err) // this copy, run again?
		} else if err != nil {
			return err
		}
		if db.copyChecked != nil {
			db.copyChecked()
		}
		var digest rowDigest
		var err error
		counts, digest, err = readSource(ctx, src, func(table string, cs []column, rows [][]any) error {
			names := make([]string, len(cs))
			for i, c := range cs {
				names[i] = c.name
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, names, pgx.CopyFromRows(rows)); err != nil {
				return fmt.Errorf("write %s: %w", table, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		given, err := sqliteOutboxGiven(ctx, src)
		if err != nil {
			return fmt.Errorf("read outbox ids given: %w", err)
		}
		if err := finishCopy(ctx, tx, given); err != nil {
			return err
		}
		return recordCopy(ctx, tx, db.serverNow(), counts, digest)
	})
	return counts, err
}

// copyLocked are the tables CopyFrom checks or writes, intake_keys first
// as intake's statements name it before events.
const copyLocked = "intake_keys, events, quarantine, outbox, crm_links, crm_intents, reports, state, erasures"

// lockCopied takes copyLocked IN EXCLUSIVE MODE in tx without ever
// waiting while it holds one of them. A running instance's transactions
// take these tables in orders of their own (an intake batch a quarantined
// body before a lead's key, an erase the outbox and state before the
// events): a copy holding some while it waited for another could wait for
// an instance waiting for it, and PostgreSQL ended one of the two
// ("deadlock detected"). All are tried at once, NOWAIT; when one is held,
// the copy lets go of every lock and waits for each table alone, holding
// nothing else, then tries again.
func lockCopied(ctx context.Context, tx pgx.Tx) error {
	for {
		got, err := lockIn(ctx, tx, copyLocked, true)
		if err != nil || got {
			return err
		}
		for _, t := range strings.Split(copyLocked, ", ") {
			if _, err := lockIn(ctx, tx, t, false); err != nil {
				return err
			}
		}
	}
}

// lockIn locks tables IN EXCLUSIVE MODE in a savepoint of tx. With keep
// (NOWAIT) it keeps the locks and returns true when it got them all at
// once, false (holding none) when one was held by another transaction.
// Without keep it waits for them, then lets them go again.
func lockIn(ctx context.Context, tx pgx.Tx, tables string, keep bool) (bool, error) {
	sp, err := tx.Begin(ctx) // a savepoint: rolled back to, it releases the locks taken since
	if err != nil {
		return false, err
	}
	mode := ""
	if keep {
		mode = " NOWAIT"
	}
	_, err = sp.Exec(ctx, `LOCK TABLE `+tables+` IN EXCLUSIVE MODE`+mode)
	var pgErr *pgconn.PgError
	switch {
	case err == nil && keep:
		return true, sp.Commit(ctx)
	case err == nil, errors.As(err, &pgErr) && pgErr.Code == "55P03": // lock_not_available
		return false, sp.Rollback(ctx)
	}
	return false, err
}

// heldNames name the copied tables for a person, where the name differs.
var heldNames = map[string]string{"quarantine": "quarantined bodies", "outbox": "outbox operations",
	"crm_links": "CRM links", "crm_intents": "CRM create intents"}

// checkEmpty refuses a database that holds anything the copy would add to,
// but the state rows an instance records when it starts (when syncd was
// installed, its last sync, its account check): one started on the new
// database before the copy, to see that it connects, made them, and the
// installation's replace them; those of the instance itself stay.
func checkEmpty(ctx context.Context, tx pgx.Tx) error {
	for _, t := range copyTables {
		if t.name == "state" {
			continue
		}
		var n int64
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+t.name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return syncd.Errorf(syncd.EInvalid, "the PostgreSQL database already holds %s (%d): copy into an empty one, "+
				"and start the instances only once the copy is made (where migrate-store said 'copied' before, "+
				"that copy is whole: start them)", cmp.Or(heldNames[t.name], t.name), n)
		}
	}
	// An instance's own rows (its settings, a rejected reload, its
	// sessions' lock) stay: its heartbeat writes them again only when they
	// change, the last only at its start.
	_, err := tx.Exec(ctx, `DELETE FROM state WHERE NOT (starts_with(name, $1) OR starts_with(name, $2) OR starts_with(name, $3))`,
		settingsState, reloadState, sessionsState)
	return err
}

// finishCopy moves report summaries from state into reports, rebuilds the
// intake keys from the events, releases the outbox leases and sets the id
// sequences past the copied ids, the outbox's past opsGiven too (the
// highest operation id the SQLite store gave, whose operation may be
// deleted since: a log line or workbook may name it). The leases are the
// SQLite syncer's, which never runs on this database: kept, they held the
// operations back (and erase refused them as being sent) until they ran
// out.
func finishCopy(ctx context.Context, tx pgx.Tx, opsGiven int64) error {
	for _, q := range []string{
		`UPDATE outbox SET lease_until = NULL WHERE lease_until IS NOT NULL`,
		`UPDATE reports r SET summary = s.value FROM state s WHERE s.name = 'report.summary.' || r.day`,
		`DELETE FROM state WHERE starts_with(name, 'report.summary.')`,
		`INSERT INTO intake_keys (source, idem_key, event_id, received_at)
		 SELECT DISTINCT ON (source, idem_key) source, idem_key, id, received_at FROM events
		 ORDER BY source, idem_key, id DESC`,
		`SELECT setval('events_id_seq', COALESCE((SELECT max(id) FROM events), 0) + 1, false)`,
		`SELECT setval('quarantine_id_seq', COALESCE((SELECT max(id) FROM quarantine), 0) + 1, false)`,
		`SELECT setval('erasures_id_seq', COALESCE((SELECT max(id) FROM erasures), 0) + 1, false)`,
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return err
		}
	}
	_, err := tx.Exec(ctx, `SELECT setval('outbox_id_seq', GREATEST(COALESCE((SELECT max(id) FROM outbox), 0), $1::bigint) + 1, false)`,
		opsGiven)
	return err
}

// sqliteOutboxGiven is the highest outbox operation id the SQLite store src
// ever gave (its sqlite_sequence, kept past the operations deleted since),
// 0 for a store whose outbox records none (a schema before 17).
func sqliteOutboxGiven(ctx context.Context, src *sql.DB) (int64, error) {
	var tables int
	err := src.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'`).Scan(&tables)
	if err != nil || tables == 0 { // named in a statement, a missing table fails it
		return 0, err
	}
	var given int64
	err = src.QueryRowContext(ctx, `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0)`).Scan(&given)
	return given, err
}

// readTable reads every row of one table, converting stored text times.
func readTable(ctx context.Context, src *sql.DB, table string, cs []column, where string) ([][]any, error) {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.name
	}
	q := `SELECT ` + strings.Join(names, ", ") + ` FROM ` + table
	if where != "" {
		q += ` WHERE ` + where
	}
	rows, err := src.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		raw := make([]any, len(cs))
		ptrs := make([]any, len(cs))
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row, err := convertRow(raw, cs)
		if err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

func convertRow(raw []any, cs []column) ([]any, error) {
	for i, c := range cs {
		v := raw[i]
		switch c.kind {
		case 't':
			raw[i] = pgText(asString(v))
		case 'b', 'n':
			if v != nil {
				raw[i] = []byte(asString(v))
			} else if c.kind == 'b' {
				raw[i] = []byte{}
			}
		case 'B': // SQLite's 0 or 1
			n, _ := v.(int64)
			raw[i] = n != 0
		case 'T', 'N':
			s := asString(v)
			if s == "" {
				raw[i] = nil
				if c.kind == 'T' {
					return nil, fmt.Errorf("column %s is empty", c.name)
				}
				continue
			}
			t, err := syncd.ParseTime(s)
			if err != nil {
				return nil, fmt.Errorf("column %s: %w", c.name, err)
			}
			raw[i] = t.UTC().Truncate(time.Microsecond)
		}
	}
	return raw, nil
}

// pgText is s as a PostgreSQL text column can hold it: a NUL, which an
// older syncd stored in SQLite in an event's type or key or a contact's
// key, and bytes that are not UTF-8 become U+FFFD, where the copy failed
// as a whole. The same value becomes the same text in every table, so an
// operation's key still finds its CRM link.
func pgText(s string) string {
	if strings.IndexByte(s, 0) < 0 && utf8.ValidString(s) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

func asString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case []byte:
		return string(x)
	case string:
		return x
	}
	return fmt.Sprint(v)
}
