package postgres

// This file is the retention purge, as the SQLite store's: a purged event
// keeps its row without personal data (source, kind, type, times,
// idempotency key), so the days' counts survive and a late retry within
// the dedup window is still a duplicate. Deleted and overwritten rows stay
// in PostgreSQL's files until VACUUM reuses their space, and in WAL
// archives and base backups for as long as those are kept (see README).

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// purgeBatch is how many rows one purge transaction changes: each is a
// short autocommitted statement, and rows another transaction holds
// (intake, the mapper, the syncer) are skipped rather than waited for.
const purgeBatch = 500

// purgeSQL are the statements of each kind of data; each changes at most
// a batch, and returns of each row the times of the reports that listed
// it (NULL for none): a contact operation's properties are on the Leads
// sheet of its lead's day (the contact shown when the body is gone), a
// dead operation's CRM error on the Needs attention sheet of the day it
// died. The deletions take the cut-off ($1) and the batch size ($2), walk
// the index of the rows' time from the oldest and delete the batch by id
// (links and intents, whose key has three columns, by row address, which
// the lock keeps): an IN (subquery) was planned, generically and once most
// rows were past the cut-off, as a hash join over the whole table, read
// again for every batch.
// A purged event keeps its type and idempotency key only where they are
// plain (a snake_case type; a body's hash or a sender's id of letters,
// digits, '.', '_' and '-', as syncd.ErasedType and ErasedKey keep):
// anything else a sender put there, an address or a name, becomes "" and
// "purged:ID", as an erasure does.
// Purged events and quarantined bodies keep their rows, so their
// statements take the cut-off ($1), now ($2), the batch size ($3) and a
// lower bound on received_at ($4), walk the
// partial index of held rows (events_held, quarantine_held) from it and
// return each row's received_at: a batch starts where the last one ended,
// past the rows that must stay (still pending).
var purgeSQL = storesql.PurgeSQL{
	Events: `UPDATE events SET body = '', payload = NULL, map_error = '', purged_at = $2,
  type = CASE WHEN kind IN ('restore', 'erasure') OR type ~ '^[a-z][a-z0-9_]{0,63}$' THEN type ELSE '' END,
  idem_key = CASE WHEN kind IN ('restore', 'erasure') OR starts_with(idem_key, 'sha256:') OR starts_with(idem_key, 'erased:')
    OR substr(idem_key, strpos(idem_key, ':') + 1) ~ '^[A-Za-z0-9._-]+$' AND length(idem_key) - strpos(idem_key, ':') <= 256
    THEN idem_key ELSE 'purged:' || id END
WHERE id IN (SELECT e.id FROM events e
  WHERE e.received_at >= $4 AND e.received_at < $1 AND e.purged_at IS NULL AND e.erased_at IS NULL
    AND e.map_state <> 'pending'
    AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.event_id = e.id AND (o.state = 'pending' OR o.updated_at >= $1))
  ORDER BY e.received_at LIMIT $3 FOR UPDATE OF e SKIP LOCKED)
RETURNING received_at`,
	Quarantine: `UPDATE quarantine SET body = '', purged_at = $2
WHERE id IN (SELECT id FROM quarantine
  WHERE received_at >= $4 AND received_at < $1 AND last_delivery_at < $1 AND purged_at IS NULL AND erased_at IS NULL
  ORDER BY received_at LIMIT $3 FOR UPDATE SKIP LOCKED)
RETURNING received_at`,
	Outbox: `DELETE FROM outbox WHERE id = ANY(ARRAY(SELECT id FROM outbox
  WHERE state IN ('done', 'dead') AND updated_at < $1 ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED))
RETURNING CASE WHEN kind = 'contact' THEN (SELECT received_at FROM events e WHERE e.id = event_id) END,
  CASE WHEN state = 'dead' THEN updated_at END`,
	Links: `DELETE FROM crm_links WHERE ctid = ANY(ARRAY(SELECT ctid FROM crm_links
  WHERE updated_at < $1 ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED))
RETURNING NULL::timestamptz, NULL::timestamptz`,
	Intents: `DELETE FROM crm_intents WHERE ctid = ANY(ARRAY(SELECT ctid FROM crm_intents
  WHERE sent_at < $1 ORDER BY sent_at LIMIT $2 FOR UPDATE SKIP LOCKED))
RETURNING NULL::timestamptz, NULL::timestamptz`,
}

// Purge drops what r no longer keeps, as of db.Now(), in short
// transactions, and the intake keys past the duplicate window (r.Keys, see
// intake_keys.go). Events are purged before operations, since an event's
// purge waits for its operations to age. Instances may purge at once: a
// row one is purging is skipped by the other.
func (db *DB) Purge(ctx context.Context, r syncd.Retention) (syncd.Purge, error) {
	var p syncd.Purge
	listed := syncd.Quarters{}
	now := db.now()
	died := syncd.Quarters{} // of the dead operations purged, on the server's clock
	for _, s := range storesql.PurgeSteps(r, &p, purgeSQL) {
		var err error
		cut := db.serverTime(now.Add(-s.Keep)) // every time purged by is kept on the server's clock
		if s.Table != "" {
			*s.N, err = db.purgeKept(ctx, s.SQL, cut, db.serverNow(), listed)
		} else {
			*s.N, err = db.purgeAll(ctx, s.SQL, cut, listed, died)
		}
		if err = errors.Join(err, recordDeadRemoved(ctx, db.pool, died, db.serverNow())); err != nil {
			return p, fmt.Errorf("purge: %w", err)
		}
		clear(died)
	}
	p.Received = listed.Times()
	if r.Erasures > 0 {
		var err error
		if p.Erasures, err = db.dropErasureIDs(ctx, db.serverTime(now.Add(-r.Erasures))); err != nil {
			return p, fmt.Errorf("purge: %w", err)
		}
	}
	if r.Keys > 0 {
		var err error
		if p.Keys, err = db.sweepKeys(ctx, r.Keys, db.serverNow()); err != nil { // received on the server's clock
			return p, fmt.Errorf("purge: %w", err)
		}
	}
	return p, nil
}

// purgeAll runs query batch after batch until a batch changes fewer rows
// than its size, adds the times it returns to listed (and the times dead
// operations died, on the server's clock, to died), and returns how many
// rows changed.
func (db *DB) purgeAll(ctx context.Context, query string, cut time.Time, listed, died syncd.Quarters) (int, error) {
	total := 0
	for {
		rows, err := db.pool.Query(ctx, query, cut, purgeBatch)
		if err != nil {
			return total, err
		}
		n := 0
		var lead, dead *time.Time
		for rows.Next() {
			if err := rows.Scan(&lead, &dead); err != nil {
				rows.Close()
				return total, err
			}
			n++
			if lead != nil { // received on the server's clock
				listed.Add(db.hostTime(*lead))
			}
			if dead != nil { // kept on the server's clock
				listed.Add(db.hostTime(*dead))
				died.Add(*dead)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return total, err
		}
		total += n
		if n < purgeBatch {
			return total, nil
		}
	}
}

// purgeKept runs query (see purgeSQL) batch after batch, each from the
// latest received_at the one before purged.
func (db *DB) purgeKept(ctx context.Context, query string, cut, now time.Time, listed syncd.Quarters) (int, error) {
	return db.purgeWalk(ctx, query, listed, func(lo time.Time) []any { return []any{cut, now, purgeBatch, lo} })
}

// purgeWalk runs query, which changes at most purgeBatch rows received
// from a lower bound on and returns their received_at, batch after batch
// until one changes fewer: each batch's bound is the latest received_at
// of the one before (args makes a batch's arguments from it). The times
// are added to listed unless it is nil.
func (db *DB) purgeWalk(ctx context.Context, query string, listed syncd.Quarters, args func(lo time.Time) []any) (int, error) {
	total, lo := 0, time.Time{}
	for {
		rows, err := db.pool.Query(ctx, query, args(lo)...)
		if err != nil {
			return total, err
		}
		n := 0
		var at time.Time
		for rows.Next() {
			if err := rows.Scan(&at); err != nil {
				rows.Close()
				return total, err
			}
			n++
			if listed != nil { // received on the server's clock
				listed.Add(db.hostTime(at))
			}
			if at.After(lo) {
				lo = at
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return total, err
		}
		total += n
		if n < purgeBatch {
			return total, nil
		}
	}
}

// dropErasureIDs drops the identifiers of the erasures made before cut
// (storesql.DropErasureIDs) and returns how many audit entries lost their
// hash. Erasures are few: one transaction.
func (db *DB) dropErasureIDs(ctx context.Context, cut time.Time) (int, error) {
	var n int
	err := db.tx(ctx, "erasures", func(tx pgx.Tx) error {
		return storesql.Run(ctx, txExec(tx), storesql.DropErasureIDs(storesql.Dollar, &n, cut))
	})
	return n, err
}

// HeldSince returns the oldest personal data kept of each kind
// (syncd.Held), on this host's clock, and how many event bodies received
// before eventCut (now less retention.event_days) are kept: after a
// purge, those whose leads wait for the CRM or changed there since.
func (db *DB) HeldSince(ctx context.Context, eventCut time.Time) (syncd.Held, error) {
	var ev, q, op, pend, link, intent, er *time.Time
	var h syncd.Held
	err := db.pool.QueryRow(ctx, `SELECT
	(SELECT min(received_at) FROM events WHERE purged_at IS NULL AND erased_at IS NULL AND octet_length(body) > 0),
	(SELECT count(*) FROM events WHERE received_at < $1 AND purged_at IS NULL AND erased_at IS NULL AND octet_length(body) > 0),
	(SELECT min(last_delivery_at) FROM quarantine WHERE purged_at IS NULL AND erased_at IS NULL AND octet_length(body) > 0),
	(SELECT min(updated_at) FROM outbox WHERE state IN ('done', 'dead')),
	(SELECT min(created_at) FROM outbox WHERE state = 'pending'),
	(SELECT min(updated_at) FROM crm_links),
	(SELECT min(sent_at) FROM crm_intents),
	(SELECT min(at) FROM erasures WHERE subject_hash <> '')`, db.serverTime(eventCut)).
		Scan(&ev, &h.EventWaiting, &q, &op, &pend, &link, &intent, &er)
	if err != nil {
		return h, fmt.Errorf("held: %w", err)
	}
	local := func(t *time.Time) time.Time { // the server's clock to this host's
		if t == nil {
			return time.Time{}
		}
		return db.hostTime(*t)
	}
	h.Event, h.Quarantined, h.Op, h.Pending = local(ev), local(q), local(op), local(pend)
	h.Link, h.Intent, h.ErasureID = local(link), local(intent), local(er)
	return h, nil
}
