package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// PersonData returns everything the database holds about s (GDPR Art. 15,
// 20), read in one transaction: the events that name the person or whose
// operations are keyed by them, the quarantined bodies that name them,
// those events' outbox operations, and the CRM links of their contact keys
// and deals. It finds exactly what Erase removes, given what it returns.
// Of a subject given by events (Subject.Events) or by a contact name
// (Subject.Name), it reads those events, the quarantined bodies repaired
// into them, their operations and links.
func (db *DB) PersonData(ctx context.Context, s syncd.Subject) (syncd.PersonData, error) {
	var pd syncd.PersonData
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return pd, fmt.Errorf("person data: %w", err)
	}
	defer tx.Rollback()
	if err := personRead(ctx, tx, s, &pd); err != nil {
		return pd, fmt.Errorf("person data: %w", err)
	}
	return pd, nil
}

func personRead(ctx context.Context, tx *sql.Tx, s syncd.Subject, pd *syncd.PersonData) error {
	var err error
	if pd.Searched, err = searchedNow(ctx, tx); err != nil { // first: the snapshot starts here
		return err
	}
	ids, err := subjectEvents(ctx, tx, s)
	if err != nil {
		return err
	}
	ev, err := tx.QueryContext(ctx, `SELECT `+eventColumns+` FROM events WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`, jsonList(ids))
	if err != nil {
		return err
	}
	for ev.Next() {
		e, err := scanEvent(ev)
		if err != nil {
			ev.Close()
			return err
		}
		pd.Events = append(pd.Events, e)
	}
	ev.Close()
	if pd.Quarantined, err = subjectQuarantine(ctx, tx, s, ids); err != nil {
		return err
	}
	pd.Ops, err = opQuery(ctx, tx, `SELECT `+opColumns+` FROM outbox WHERE event_id IN (SELECT value FROM json_each(?)) ORDER BY id`, jsonList(ids))
	if err != nil {
		return err
	}
	contacts, deals, links, err := personLinks(ctx, tx, s.KeyValues(), s.Others, ids)
	if err != nil {
		return err
	}
	pd.Links = links
	if pd.Intents, err = scanIntents(ctx, tx, keyedRows(`SELECT target, kind, key, sent_at`, `crm_intents`), contacts, deals); err != nil {
		return err
	}
	if s.ID == "" { // a name search: no erasure is ever recorded under a name
		return nil
	}
	pd.Erasures, err = personErasures(ctx, tx, s)
	return err
}

// personErasures returns the audit entries of the erasures of s, oldest
// first: none when no erase ever ran (there is no salt yet).
func personErasures(ctx context.Context, tx *sql.Tx, s syncd.Subject) ([]syncd.Erasure, error) {
	hashes, err := storesql.AuditHashes(ctx, txRow(tx), s)
	if err != nil || hashes == nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT at, subject_hash, events, quarantined, ops, links, crm_ops, intents
		FROM erasures WHERE subject_hash IN (SELECT value FROM json_each(?)) ORDER BY at, id`, jsonList(hashes))
	if err != nil {
		return nil, fmt.Errorf("erasures: %w", err)
	}
	return scanErasures(rows)
}

// ErasuresAt returns the audit entries of the erasures made at the times
// at (as the erasure log keeps them), oldest first.
func (db *DB) ErasuresAt(ctx context.Context, at []time.Time) ([]syncd.Erasure, error) {
	if len(at) == 0 {
		return nil, nil
	}
	var times []string
	for _, t := range at {
		times = append(times, fmtTime(t))
	}
	rows, err := db.r.QueryContext(ctx, `SELECT at, subject_hash, events, quarantined, ops, links, crm_ops, intents
		FROM erasures WHERE at IN (SELECT value FROM json_each(?)) ORDER BY at, id`, jsonList(times))
	if err != nil {
		return nil, fmt.Errorf("erasures: %w", err)
	}
	return scanErasures(rows)
}

// scanErasures reads the audit entries rows holds, and closes it.
func scanErasures(rows *sql.Rows) ([]syncd.Erasure, error) {
	defer rows.Close()
	var out []syncd.Erasure
	for rows.Next() {
		var er syncd.Erasure
		var at string
		if err := rows.Scan(&at, &er.SubjectHash, &er.Events, &er.Quarantined, &er.Ops, &er.Links, &er.CRMOps, &er.Intents); err != nil {
			return nil, fmt.Errorf("erasures: %w", err)
		}
		er.At = parseTime(sql.NullString{String: at, Valid: true})
		out = append(out, er)
	}
	return out, rows.Err()
}

// personQuarantine returns the quarantined bodies that mention s. They
// are searched in Go, not prefiltered in SQL, since a phone number may be
// written with any punctuation.
func personQuarantine(ctx context.Context, tx *sql.Tx, s syncd.Subject) ([]syncd.Quarantine, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+quarantineColumns+` FROM quarantine WHERE erased_at IS NULL AND length(body) > 0 ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []syncd.Quarantine
	m := s.Matcher()
	for rows.Next() {
		q, err := scanQuarantine(rows)
		if err != nil {
			return nil, err
		}
		if m.Match(q.Body) {
			out = append(out, q)
		}
	}
	return out, rows.Err()
}

func scanIntents(ctx context.Context, q queryer, query string, args ...any) ([]syncd.Intent, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []syncd.Intent
	for rows.Next() {
		var in syncd.Intent
		var kind, at string
		if err := rows.Scan(&in.Target, &kind, &in.Key, &at); err != nil {
			return nil, err
		}
		in.Kind, in.SentAt = syncd.RecordKind(kind), parseTime(sql.NullString{String: at, Valid: true})
		out = append(out, in)
	}
	return out, rows.Err()
}
