package postgres

// This file erases one person (GDPR Art. 17), as the SQLite store does. An
// erased event keeps its row without personal data (source, kind, type,
// times, idempotency key), so a retried delivery within the dedup window
// is still answered as a duplicate (intake_keys names it until the purge
// sweeps the key past the window) and does not bring the person back.

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// Erase removes every trace of s that found (PersonData of s) holds, by
// id, in one transaction: the bodies, payloads and mapping errors of the
// events that name the person (or whose operations are keyed by them),
// their quarantined bodies, their outbox operations, CRM links and create
// intents; it records an audit entry with the counts and a salted hash of
// s.ID. Rows stored since found was read that name the person make it
// erase nothing and return a syncd.EChanged error (storedSince): read
// again. It refuses (EUnavailable) while one of the operations is being
// delivered. When crmTarget is set, operations that erase the person's
// records in that CRM are queued in the outbox (storesql.QueueCRMErase),
// with the deals of found's operations that have no CRM link
// (syncd.UnlinkedDeals).
func (db *DB) Erase(ctx context.Context, s syncd.Subject, found syncd.PersonData, crmTarget string) (syncd.Erasure, error) {
	if err := s.CheckErasable(); err != nil {
		return syncd.Erasure{}, err
	}
	er := syncd.Erasure{At: db.now()}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error { return db.erase(ctx, tx, s, found, crmTarget, &er, db.serverNow()) })
	if err != nil {
		return syncd.Erasure{}, fmt.Errorf("erase: %w", err)
	}
	return er, nil
}

func (db *DB) erase(ctx context.Context, tx pgx.Tx, s syncd.Subject, found syncd.PersonData, crmTarget string, er *syncd.Erasure, leaseNow time.Time) error {
	if err := storedSince(ctx, tx, s, found); err != nil {
		return err
	}
	ids := make([]int64, len(found.Events))
	for i, e := range found.Events {
		ids[i] = e.ID
	}
	if err := lockOps(ctx, tx, ids, leaseNow); err != nil {
		return err
	}
	var err error
	if er.CRMLinks, er.Intents, err = eraseLinks(ctx, tx, s, ids); err != nil { // reads the ops: first
		return err
	}
	er.Links = len(er.CRMLinks)
	var failed []time.Time
	if er.Ops, failed, err = eraseOps(ctx, tx, ids, db.hostTime); err != nil {
		return err
	}
	at := db.serverTime(er.At) // what it writes is on the server's clock, as received times are
	er.Audited = at
	died := syncd.Quarters{}
	for _, t := range failed {
		died.Add(db.serverTime(t))
	}
	if err := recordDeadRemoved(ctx, tx, died, at); err != nil {
		return err
	}
	if er.Received, err = eraseEvents(ctx, tx, ids, at, db.hostTime); err != nil {
		return err
	}
	scrubbed, err := eraseFields(ctx, tx, found.Events, s.Matcher())
	if err != nil {
		return err
	}
	er.Received = append(er.Received, scrubbed...)
	er.Events, er.Received = len(er.Received), append(er.Received, failed...)
	qr, err := eraseQuarantine(ctx, tx, found.Quarantined, at, db.hostTime)
	if err != nil {
		return err
	}
	er.Quarantined, er.Received = len(qr), append(er.Received, qr...)
	if er.SubjectHash, err = storesql.SubjectHash(ctx, storesql.Dollar, txRow(tx), s.ID, at); err != nil {
		return err
	}
	if crmTarget != "" {
		er.CRMOps, err = storesql.QueueCRMErase(ctx, storesql.Dollar, txRow(tx), crmTarget, er.CRMLinks,
			syncd.UnlinkedDeals(found.Ops, er.CRMLinks, crmTarget, s.Others), s.Holds, er.SubjectHash,
			at.Format(time.RFC3339Nano), at, func(ops []syncd.Op) (int, error) { return insertOps(ctx, tx, leaseNow, ops) })
		if err != nil {
			return err
		}
	}
	if err := storesql.Run(ctx, txExec(tx), []storesql.Step{storesql.Audit(storesql.Dollar, at, *er)}); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// lockOps locks the operations of the events ids until the erase commits,
// so that no syncer claims one meanwhile (claims skip locked rows), and
// refuses while one is leased: being delivered right now, it would write
// its CRM link after the erase.
func lockOps(ctx context.Context, tx pgx.Tx, ids []int64, now time.Time) error {
	rows, _ := tx.Query(ctx, `SELECT CASE WHEN state = 'pending' AND lease_until > $2 THEN lease_until END
		FROM outbox WHERE event_id = ANY($1) FOR UPDATE`, ids, now)
	leases, err := pgx.CollectRows(rows, pgx.RowTo[*time.Time])
	if err != nil {
		return fmt.Errorf("erase operations: %w", err)
	}
	var n int
	var last time.Time
	for _, until := range leases {
		if until != nil {
			n++
			if until.After(last) {
				last = *until
			}
		}
	}
	if n > 0 {
		return syncd.ErrDelivering(n, last.Sub(now))
	}
	return nil
}

// eraseLinks deletes the person's CRM links (of their contact keys and
// their events' deals, personKeys) and create intents, and returns the links and how
// many intents went. It reads the operations: call it before they are
// deleted.
func eraseLinks(ctx context.Context, tx pgx.Tx, s syncd.Subject, ids []int64) ([]syncd.Link, int, error) {
	contacts, deals, err := personKeys(ctx, tx, s.KeyValues(), s.Others, ids)
	if err != nil {
		return nil, 0, err
	}
	links, err := personLinks(ctx, tx, contacts, deals)
	if err != nil {
		return nil, 0, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM crm_links`+personWhere, contacts, deals); err != nil {
		return nil, 0, fmt.Errorf("erase links: %w", err)
	}
	tag, err := tx.Exec(ctx, `DELETE FROM crm_intents`+personWhere, contacts, deals)
	if err != nil {
		return nil, 0, fmt.Errorf("erase intents: %w", err)
	}
	return links, int(tag.RowsAffected()), nil
}

// eraseOps deletes the outbox operations of the events ids, and returns
// how many and when each dead one failed (the Needs attention sheet of that
// day shows its error), on this host's clock (onHost: the server's is
// kept).
func eraseOps(ctx context.Context, tx pgx.Tx, ids []int64, onHost func(time.Time) time.Time) (int, []time.Time, error) {
	rows, _ := tx.Query(ctx, `DELETE FROM outbox WHERE event_id = ANY($1)
		RETURNING CASE WHEN state = 'dead' THEN updated_at END, kind = 'contact' AND state = 'pending'`, ids)
	var times []*time.Time
	var contacts bool // a pending contact operation went: its deals of other events may wait for none now
	var at *time.Time
	var contact bool
	_, err := pgx.ForEachRow(rows, []any{&at, &contact}, func() error {
		times, contacts = append(times, at), contacts || contact
		return nil
	})
	if err == nil && contacts {
		_, err = tx.Exec(ctx, clearAllWaitsSQL)
	}
	if err != nil {
		return 0, nil, fmt.Errorf("erase operations: %w", err)
	}
	var failed []time.Time
	for _, t := range times {
		if t != nil {
			failed = append(failed, onHost(t.UTC()))
		}
	}
	return len(times), failed, nil
}

// eraseEvents drops the bodies, payloads and mapping errors of ids (those
// an erase beside this one erased meanwhile left), and returns when each
// was received, on this host's clock (onHost: received times are kept on
// the server's). A pending event needs no mapping now.
func eraseEvents(ctx context.Context, tx pgx.Tx, ids []int64, now time.Time, onHost func(time.Time) time.Time) ([]time.Time, error) {
	rows, _ := tx.Query(ctx, `UPDATE events SET body = '', payload = NULL, map_error = '', erased_at = $1,
		map_state = CASE WHEN map_state = 'pending' THEN 'ignored' ELSE map_state END
		WHERE id = ANY($2) AND erased_at IS NULL RETURNING received_at`, now, ids)
	times, err := collectTimes(rows, onHost)
	if err != nil {
		return nil, fmt.Errorf("erase events: %w", err)
	}
	return times, nil
}

// eraseQuarantine drops the bodies of qs (but those an erase beside this
// one erased meanwhile), and returns when each was received, as
// eraseEvents does.
func eraseQuarantine(ctx context.Context, tx pgx.Tx, qs []syncd.Quarantine, now time.Time, onHost func(time.Time) time.Time) ([]time.Time, error) {
	ids := make([]int64, len(qs))
	for i, q := range qs {
		ids[i] = q.ID
	}
	rows, _ := tx.Query(ctx, `UPDATE quarantine SET body = '', erased_at = $1 WHERE id = ANY($2) AND erased_at IS NULL
		RETURNING received_at`, now, ids)
	times, err := collectTimes(rows, onHost)
	if err != nil {
		return nil, fmt.Errorf("erase quarantine: %w", err)
	}
	return times, nil
}

func collectTimes(rows pgx.Rows, onHost func(time.Time) time.Time) ([]time.Time, error) {
	times, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
	for i := range times {
		times[i] = onHost(times[i].UTC())
	}
	return times, err
}
