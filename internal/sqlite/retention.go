package sqlite

// This file is the retention purge. A purged event keeps its row without
// personal data (source, kind, type, times, idempotency key): the days'
// counts survive and a late retry within the dedup window is still a
// duplicate. Secure delete and the closing checkpoint leave no purged byte
// in the file or the WAL.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// purgeBatch is how many rows one purge transaction changes: the intake
// writer waits for the write lock meanwhile, so it stays short.
const purgeBatch = 500

// purgeSQL are the statements of each kind of data; each takes the cut-off
// (?1), now (?2) and the batch size (?3), changes at most a batch and
// returns, of each row changed, the times of the reports that listed it,
// separated by a space (none: an empty string): a contact operation's
// properties are on the Leads sheet of its lead's day (the contact shown
// when the body is gone), a dead operation's CRM error on the Needs
// attention sheet of the day it died.
// A purged event keeps its type and idempotency key only where they are
// plain (a snake_case type; a body's hash or a sender's id of letters,
// digits, '.', '_' and '-', as syncd.ErasedType and ErasedKey keep):
// anything else a sender put there, an address or a name, becomes "" and
// "purged:ID", as an erasure does.
// Purged events and quarantined bodies keep their rows, so their
// statements also take a lower bound on received_at (?4), walk the
// received_at index from it and return each row's received_at: every batch
// starts where the last one ended instead of walking past the rows already
// purged. Deleted rows leave nothing to walk past.
var purgeSQL = storesql.PurgeSQL{
	Events: `UPDATE events SET body = X'', payload = NULL, map_error = '', purged_at = ?2,
  type = CASE WHEN kind IN ('restore', 'erasure')
    OR length(type) <= 64 AND type GLOB '[a-z]*' AND type NOT GLOB '*[^a-z0-9_]*' THEN type ELSE '' END,
  idem_key = CASE WHEN kind IN ('restore', 'erasure') OR idem_key GLOB 'sha256:*' OR idem_key GLOB 'erased:*'
    OR length(substr(idem_key, instr(idem_key, ':') + 1)) BETWEEN 1 AND 256
      AND substr(idem_key, instr(idem_key, ':') + 1) NOT GLOB '*[^A-Za-z0-9._-]*' THEN idem_key ELSE 'purged:' || id END
WHERE id IN (SELECT e.id FROM events e INDEXED BY events_received
  WHERE e.received_at >= ?4 AND e.received_at < ?1 AND e.purged_at IS NULL AND e.erased_at IS NULL
    AND e.map_state <> 'pending'
    AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.event_id = e.id AND (o.state = 'pending' OR o.updated_at >= ?1))
  ORDER BY e.received_at LIMIT ?3)
RETURNING received_at`,
	Quarantine: `UPDATE quarantine SET body = X'', purged_at = ?2
WHERE id IN (SELECT id FROM quarantine INDEXED BY quarantine_received
  WHERE received_at >= ?4 AND received_at < ?1 AND last_delivery_at < ?1 AND purged_at IS NULL AND erased_at IS NULL
  ORDER BY received_at LIMIT ?3)
RETURNING received_at`,
	Outbox: `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox
  WHERE state IN ('done', 'dead') AND updated_at < ?1 LIMIT ?3)
RETURNING iif(kind = 'contact', (SELECT received_at FROM events WHERE id = event_id), '')
  || ' ' || iif(state = 'dead', updated_at, '')`,
	Links: `DELETE FROM crm_links WHERE (target, kind, key) IN (SELECT target, kind, key FROM crm_links
  WHERE updated_at < ?1 LIMIT ?3)
RETURNING ''`,
	Intents: `DELETE FROM crm_intents WHERE (target, kind, key) IN (SELECT target, kind, key FROM crm_intents
  WHERE sent_at < ?1 LIMIT ?3)
RETURNING ''`,
}

// Purge drops what r no longer keeps, as of db.Now(), in short
// transactions, then checkpoints the WAL. Events are purged before
// operations, since an event's purge waits for its operations to age.
func (db *DB) Purge(ctx context.Context, r syncd.Retention) (syncd.Purge, error) {
	var p syncd.Purge
	listed := syncd.Quarters{}
	now := db.Now()
	for _, s := range storesql.PurgeSteps(r, &p, purgeSQL) {
		var n int
		var err error
		cut := fmtTime(now.Add(-s.Keep))
		if s.Table != "" {
			n, err = db.purgeKept(ctx, s.Table, s.SQL, cut, fmtTime(now), listed)
		} else {
			n, err = db.purgeAll(ctx, s.SQL, cut, fmtTime(now), listed)
		}
		*s.N = n
		if err != nil {
			return p, fmt.Errorf("purge: %w", err)
		}
	}
	p.Received = listed.Times()
	if r.Erasures > 0 {
		var err error
		if p.Erasures, err = db.dropErasureIDs(ctx, fmtTime(now.Add(-r.Erasures))); err != nil {
			return p, fmt.Errorf("purge: %w", err)
		}
	}
	// Purged, even where a reader kept the WAL from being truncated: the
	// purge is done, and what it dropped leaves the WAL at a later
	// checkpoint (the next purge, a clean stop).
	if err := db.Checkpoint(ctx); errors.Is(err, errReadersStayed) {
		p.WALKept = err.Error()
	} else if err != nil {
		return p, fmt.Errorf("purge: %w", err)
	}
	return p, nil
}

// purgeAll runs query batch after batch until a batch changes fewer rows
// than its size, adds the times it returns to listed, and returns how
// many rows changed.
func (db *DB) purgeAll(ctx context.Context, query, cut, now string, listed syncd.Quarters) (int, error) {
	total := 0
	for {
		times, err := column[string](ctx, db.w, query, cut, now, purgeBatch)
		if err != nil {
			return total, err
		}
		total += len(times)
		addListed(listed, times)
		if len(times) < purgeBatch {
			return total, nil
		}
	}
}

// addListed adds to listed the times in times (each one or more,
// separated by spaces).
func addListed(listed syncd.Quarters, times []string) {
	for _, s := range times {
		for _, f := range strings.Fields(s) {
			if t := parseTime(sql.NullString{String: f, Valid: true}); !t.IsZero() {
				listed.Add(t)
			}
		}
	}
}

// purgeMargin is how far before the last run's low-water mark a run
// starts, for clocks that stepped back.
const purgeMargin = 7 * 24 * time.Hour

// purgeMarkName is the state row holding a table's low-water mark.
func purgeMarkName(table string) string { return "retention." + table + ".from" }

// lowerPurgeMark moves table's low-water mark back to received when a row
// received then is stored late (a repaired quarantined body becomes an
// event received when the original was), so the next purge reaches it.
func lowerPurgeMark(ctx context.Context, tx *sql.Tx, table, received string) error {
	_, err := tx.ExecContext(ctx, `UPDATE state SET value = ?1 WHERE name = ?2 AND value > ?1`, received, purgeMarkName(table))
	return err
}

// purgeKept runs query (see purgeSQL) batch after batch from the table's
// low-water mark, advancing by received_at, and records the new mark: the
// oldest row left with its body, or the cut-off. A row stored later with an
// older received_at lowers the mark itself (lowerPurgeMark).
func (db *DB) purgeKept(ctx context.Context, table, query, cut, now string, listed syncd.Quarters) (int, error) {
	mark := purgeMarkName(table)
	from, _, err := db.StateValue(ctx, mark)
	if err != nil {
		return 0, err
	}
	if t, err := syncd.ParseTime(from); err == nil {
		from = fmtTime(t.Add(-purgeMargin))
	}
	total, lo := 0, from
	for {
		times, err := column[string](ctx, db.w, query, cut, now, purgeBatch, lo)
		if err != nil {
			return total, err
		}
		total += len(times)
		addListed(listed, times)
		for _, t := range times {
			lo = max(lo, t)
		}
		if len(times) < purgeBatch {
			break
		}
	}
	var left sql.NullString
	err = db.w.QueryRowContext(ctx, `SELECT min(received_at) FROM `+table+` WHERE received_at >= ? AND received_at < ?
		AND purged_at IS NULL AND erased_at IS NULL`, from, cut).Scan(&left)
	if err != nil {
		return total, err
	}
	if !left.Valid {
		left.String = cut
	}
	return total, db.SetStateValue(ctx, mark, left.String)
}

// dropErasureIDs drops the identifiers of the erasures made before cut
// (storesql.DropErasureIDs) and returns how many audit entries lost their
// hash. Erasures are few: one transaction.
func (db *DB) dropErasureIDs(ctx context.Context, cut string) (int, error) {
	var n int
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		if err := storesql.Run(ctx, txExec(tx), storesql.DropErasureIDs(storesql.SQLite, &n, cut)); err != nil {
			return fmt.Errorf("erasures: %w", err)
		}
		return nil
	})
	return n, err
}

// HeldSince returns the oldest personal data kept of each kind
// (syncd.Held), and how many event bodies received before eventCut (now
// less retention.event_days) are kept: after a purge, those whose leads
// wait for the CRM or changed there since. It reads, as any reader.
func (db *DB) HeldSince(ctx context.Context, eventCut time.Time) (syncd.Held, error) {
	var ev, q, op, pend, link, intent, er sql.NullString
	var h syncd.Held
	err := db.r.QueryRowContext(ctx, `SELECT
	(SELECT min(received_at) FROM events INDEXED BY events_received WHERE length(body) > 0 AND purged_at IS NULL AND erased_at IS NULL),
	(SELECT count(*) FROM events INDEXED BY events_received WHERE received_at < ?1 AND length(body) > 0 AND purged_at IS NULL AND erased_at IS NULL),
	(SELECT min(last_delivery_at) FROM quarantine WHERE length(body) > 0 AND purged_at IS NULL AND erased_at IS NULL),
	(SELECT min(updated_at) FROM outbox WHERE state IN ('done', 'dead')),
	(SELECT min(created_at) FROM outbox WHERE state = 'pending'),
	(SELECT min(updated_at) FROM crm_links),
	(SELECT min(sent_at) FROM crm_intents),
	(SELECT min(at) FROM erasures WHERE subject_hash <> '')`, fmtTime(eventCut)).
		Scan(&ev, &h.EventWaiting, &q, &op, &pend, &link, &intent, &er)
	if err != nil {
		return h, fmt.Errorf("held: %w", err)
	}
	h.Event, h.Quarantined, h.Op, h.Pending = parseTime(ev), parseTime(q), parseTime(op), parseTime(pend)
	h.Link, h.Intent, h.ErasureID = parseTime(link), parseTime(intent), parseTime(er)
	return h, nil
}
