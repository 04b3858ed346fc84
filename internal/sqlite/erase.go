package sqlite

// This file erases one person (GDPR Art. 17). An erased event keeps its row
// without personal data (source, kind, type, times, idempotency key), so a
// retried delivery within the dedup window is still answered as a duplicate
// and does not bring the person back; the intake writer of a running daemon
// holds the same key in memory and needs nothing from here.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// Erase removes every trace of s that found (PersonData of s) holds, by
// id, in one transaction: the bodies, payloads and mapping errors of the
// events that name the person (or whose operations are keyed by them),
// their quarantined bodies, their outbox operations and CRM links; it
// records an audit entry with the counts and a salted hash of s.ID, then
// checkpoints the WAL so that no erased byte is left in it. Rows stored
// since found was read that name the person make it erase nothing and
// return a syncd.EChanged error (storedSince): read again. It refuses
// (EUnavailable) while one of the operations is being delivered. When
// crmTarget is set, operations that erase the person's records in that
// CRM are queued in the outbox (storesql.QueueCRMErase), with the deals of
// found's operations that have no CRM link (syncd.UnlinkedDeals).
func (db *DB) Erase(ctx context.Context, s syncd.Subject, found syncd.PersonData, crmTarget string) (syncd.Erasure, error) {
	if err := s.CheckErasable(); err != nil {
		return syncd.Erasure{}, err
	}
	er := syncd.Erasure{At: db.Now()}
	err := db.writeTx(ctx, func(tx *sql.Tx) error { return db.erase(ctx, tx, s, found, crmTarget, &er) })
	if err != nil {
		return syncd.Erasure{}, fmt.Errorf("erase: %w", err)
	}
	if err := db.Checkpoint(ctx); err != nil {
		return er, fmt.Errorf("erased, but the WAL keeps the old pages until a checkpoint can run (run syncd purge later): %w", err)
	}
	return er, nil
}

func (db *DB) erase(ctx context.Context, tx *sql.Tx, s syncd.Subject, found syncd.PersonData, crmTarget string, er *syncd.Erasure) error {
	now := fmtTime(er.At)
	if err := storedSince(ctx, tx, s, found); err != nil {
		return err
	}
	ids := eventIDs(found)
	var err error
	if er.CRMLinks, er.Intents, err = eraseLinks(ctx, tx, s, ids); err != nil { // reads the ops: first
		return err
	}
	var failed []time.Time
	if er.Ops, failed, err = eraseOps(ctx, tx, ids, now); err != nil {
		return err
	}
	er.Links = len(er.CRMLinks)
	if er.Received, err = eraseEvents(ctx, tx, ids, now); err != nil {
		return err
	}
	scrubbed, err := eraseFields(ctx, tx, found.Events, s.Matcher())
	if err != nil {
		return err
	}
	er.Received = append(er.Received, scrubbed...)
	er.Events = len(er.Received)
	er.Received = append(er.Received, failed...)
	qr, err := eraseQuarantine(ctx, tx, quarantineIDs(found), now)
	if err != nil {
		return err
	}
	er.Quarantined, er.Received = len(qr), append(er.Received, qr...)
	if er.SubjectHash, err = storesql.SubjectHash(ctx, storesql.SQLite, txRow(tx), s.ID, now); err != nil {
		return err
	}
	if crmTarget != "" {
		er.CRMOps, err = storesql.QueueCRMErase(ctx, storesql.SQLite, txRow(tx), crmTarget, er.CRMLinks,
			syncd.UnlinkedDeals(found.Ops, er.CRMLinks, crmTarget, s.Others), s.Holds, er.SubjectHash, now, now,
			func(ops []syncd.Op) (int, error) {
				n, err := db.insertOps(ctx, tx, now, ops)
				if err != nil {
					return 0, fmt.Errorf("queue crm erase: %w", err)
				}
				return n, nil
			})
		if err != nil {
			return err
		}
	}
	if err := storesql.Run(ctx, txExec(tx), []storesql.Step{storesql.Audit(storesql.SQLite, now, *er)}); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// eraseOps deletes the outbox operations of the events ids, and returns
// how many and when each dead one failed (the Needs attention sheet of that
// day shows its error). One being delivered right now would write its CRM
// link after the erase: refuse.
func eraseOps(ctx context.Context, tx *sql.Tx, ids []int64, now string) (int, []time.Time, error) {
	var leased int
	var until sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT count(*), max(lease_until) FROM outbox WHERE event_id IN (SELECT value FROM json_each(?))
		AND state = 'pending' AND lease_until > ?`, jsonList(ids), now).Scan(&leased, &until)
	if err != nil {
		return 0, nil, fmt.Errorf("erase operations: %w", err)
	}
	if leased > 0 {
		at, _ := syncd.ParseTime(now)
		return 0, nil, syncd.ErrDelivering(leased, parseTime(until).Sub(at))
	}
	rows, err := tx.QueryContext(ctx, `DELETE FROM outbox WHERE event_id IN (SELECT value FROM json_each(?))
		RETURNING iif(state = 'dead', updated_at, '')`, jsonList(ids))
	if err != nil {
		return 0, nil, fmt.Errorf("erase operations: %w", err)
	}
	times, err := scanTimes(rows)
	if err != nil {
		return 0, nil, fmt.Errorf("erase operations: %w", err)
	}
	return len(times), slices.DeleteFunc(times, time.Time.IsZero), nil
}

// keyedRows is the statement head (SELECT columns, or DELETE) on the
// rows of table (crm_links or crm_intents, keyed by target, kind and key)
// of contact keys ?1 and deal keys ?2 (JSON arrays). They are sought
// through the primary key, target by target (the targets found in it one
// step each): the key alone, not its first column, would read the whole
// table, which keeps every contact and deal linked for ever, in erase's
// write transaction.
func keyedRows(head, table string) string {
	return `WITH RECURSIVE targets(target) AS (SELECT min(target) FROM ` + table + `
	UNION ALL SELECT (SELECT min(target) FROM ` + table + ` WHERE target > targets.target) FROM targets WHERE targets.target IS NOT NULL)
` + head + ` FROM ` + table + ` WHERE (target, kind, key) IN (SELECT targets.target, k.kind, k.key FROM targets,
	(SELECT 'contact' AS kind, value AS key FROM json_each(?1) UNION ALL SELECT 'deal', value FROM json_each(?2)) k)`
}

// personLinks returns the CRM links of the person: of their contact keys
// (those given, and those the operations of their events ids used) and of
// the deals of those events and of those contacts (crm_links.contact_key:
// deals whose operations the retention deleted), but for the contacts
// others (another person's lead naming them) and those contacts' deals.
// It reads the operations: call it before they are deleted.
func personLinks(ctx context.Context, q queryer, keys, others []string, ids []int64) (contacts, deals string, links []syncd.Link, err error) {
	used, err := column[string](ctx, q, `SELECT key FROM outbox WHERE kind = 'contact' AND event_id IN (SELECT value FROM json_each(?1))
		AND key NOT IN (SELECT value FROM json_each(?2))
		UNION SELECT contact_key FROM outbox WHERE kind = 'deal' AND contact_key <> '' AND event_id IN (SELECT value FROM json_each(?1))
		AND contact_key NOT IN (SELECT value FROM json_each(?2))`, jsonList(ids), jsonList(others))
	if err != nil {
		return "", "", nil, err
	}
	dealKeys, err := column[string](ctx, q, `SELECT DISTINCT key FROM outbox WHERE kind = 'deal' AND event_id IN (SELECT value FROM json_each(?1))
		AND contact_key NOT IN (SELECT value FROM json_each(?2))`, jsonList(ids), jsonList(others))
	if err != nil {
		return "", "", nil, err
	}
	contacts = jsonList(append(used, keys...))
	// The deals made for those contacts whose operations the retention
	// deleted: their links keep the contact's key (crm_links_contact).
	linked, err := column[string](ctx, q, `SELECT key FROM crm_links WHERE kind = 'deal' AND contact_key <> ''
		AND contact_key IN (SELECT value FROM json_each(?1))`, contacts)
	if err != nil {
		return "", "", nil, err
	}
	for _, k := range linked {
		if !slices.Contains(dealKeys, k) {
			dealKeys = append(dealKeys, k)
		}
	}
	deals = jsonList(dealKeys)
	links, err = scanLinks(ctx, q, keyedRows(`SELECT target, kind, key, crm_id, updated_at`, `crm_links`), contacts, deals)
	return contacts, deals, links, err
}

// eraseLinks deletes the person's CRM links (personLinks) and create
// intents, and returns the links and how many intents went.
func eraseLinks(ctx context.Context, tx *sql.Tx, s syncd.Subject, ids []int64) ([]syncd.Link, int, error) {
	contacts, deals, links, err := personLinks(ctx, tx, s.KeyValues(), s.Others, ids)
	if err != nil {
		return nil, 0, fmt.Errorf("erase links: %w", err)
	}
	if _, err := tx.ExecContext(ctx, keyedRows(`DELETE`, `crm_links`), contacts, deals); err != nil {
		return nil, 0, fmt.Errorf("erase links: %w", err)
	}
	res, err := tx.ExecContext(ctx, keyedRows(`DELETE`, `crm_intents`), contacts, deals)
	if err != nil {
		return nil, 0, fmt.Errorf("erase intents: %w", err)
	}
	n, _ := res.RowsAffected()
	return links, int(n), nil
}

// eraseEvents drops the bodies, payloads and mapping errors of ids (those
// an erase beside this one erased meanwhile left), and returns when each
// was received. A pending event needs no mapping now.
func eraseEvents(ctx context.Context, tx *sql.Tx, ids []int64, now string) ([]time.Time, error) {
	rows, err := tx.QueryContext(ctx, `UPDATE events SET body = X'', payload = NULL, map_error = '', erased_at = ?,
		map_state = iif(map_state = 'pending', 'ignored', map_state)
		WHERE id IN (SELECT value FROM json_each(?)) AND erased_at IS NULL RETURNING received_at`, now, jsonList(ids))
	if err != nil {
		return nil, fmt.Errorf("erase events: %w", err)
	}
	return scanTimes(rows)
}

// eraseFields drops from the events found what their type and
// idempotency key, the sender's fields kept past the body, say of the
// person m matches, or anything but a plain type or id
// (syncd.ErasedType, syncd.ErasedKey), and returns when each was received
// of those erased before (for another person; their bodies went then),
// which eraseEvents does not count.
func eraseFields(ctx context.Context, tx *sql.Tx, found []syncd.Event, m *syncd.Matcher) ([]time.Time, error) {
	var again []time.Time
	for _, ev := range found {
		typ, key := syncd.ErasedType(ev.Type, m), syncd.ErasedKey(ev.Key, ev.ID, m)
		if typ == ev.Type && key == ev.Key || !syncd.SendersFields(ev.Kind) {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE events SET type = ?, idem_key = ? WHERE id = ?`, typ, key, ev.ID); err != nil {
			return nil, fmt.Errorf("erase events: %w", err)
		}
		if !ev.ErasedAt.IsZero() {
			again = append(again, ev.ReceivedAt)
		}
	}
	return again, nil
}

// eraseQuarantine drops the quarantined bodies ids (but those an erase
// beside this one erased meanwhile), and returns when each was received.
func eraseQuarantine(ctx context.Context, tx *sql.Tx, ids []int64, now string) ([]time.Time, error) {
	rows, err := tx.QueryContext(ctx, `UPDATE quarantine SET body = X'', erased_at = ?
		WHERE id IN (SELECT value FROM json_each(?)) AND erased_at IS NULL RETURNING received_at`, now, jsonList(ids))
	if err != nil {
		return nil, fmt.Errorf("erase quarantine: %w", err)
	}
	return scanTimes(rows)
}

// writeTx runs fn in a write transaction and commits it. An error of data
// SQLite refused is marked so (refused).
func (db *DB) writeTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return refused(err)
	}
	return refused(tx.Commit())
}

func jsonList[T any](v []T) string {
	if len(v) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// column runs query (with args) and returns its one column, row by row.
func column[T any](ctx context.Context, q queryer, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func scanLinks(ctx context.Context, q queryer, query string, args ...any) ([]syncd.Link, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []syncd.Link
	for rows.Next() {
		var l syncd.Link
		var kind string
		var at sql.NullString
		if err := rows.Scan(&l.Target, &kind, &l.Key, &l.CRMID, &at); err != nil {
			return nil, err
		}
		l.Kind, l.RecordedAt = syncd.RecordKind(kind), parseTime(at)
		out = append(out, l)
	}
	return out, rows.Err()
}

func scanTimes(rows *sql.Rows) ([]time.Time, error) {
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var at string
		if err := rows.Scan(&at); err != nil {
			return nil, err
		}
		out = append(out, parseTime(sql.NullString{String: at, Valid: true}))
	}
	return out, rows.Err()
}
