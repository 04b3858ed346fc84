package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// clearWaits takes the waiting mark (outbox.waits, migration 0019) off
// the pending deals of the contacts given (by target, keys[i] with
// targets[i]) that have no pending operation left, after the statement
// that ended theirs in tx: a statement of its own, so that it sees the
// deals committed while that one ran (each marked deal is committed with
// a contact operation, which had to be claimed after it to be finished).
// The deals are locked in id order, as every batch locks its rows, so
// two instances clearing overlapping contacts (a lease that ran out)
// wait for each other instead of deadlocking.
func clearWaits(ctx context.Context, tx pgx.Tx, targets, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, clearWaitsSQL, targets, keys); err != nil {
		return fmt.Errorf("deals waiting for %d contacts: %w", len(keys), err)
	}
	return nil
}

// clearWaitsSQL is clearWaits' statement: $1 the targets, $2 the keys of
// the contacts, each deal sought in outbox_waiting by its contact.
const clearWaitsSQL = `UPDATE outbox SET waits = false WHERE id IN (
	SELECT d.id FROM (SELECT DISTINCT target, key FROM unnest($1::text[], $2::text[]) AS c(target, key)) c
	JOIN outbox d ON d.target = c.target AND d.contact_key = c.key AND d.state = 'pending' AND d.waits
	WHERE NOT EXISTS (SELECT 1 FROM outbox p
	  WHERE p.target = c.target AND p.kind = 'contact' AND p.key = c.key AND p.state = 'pending')
	ORDER BY d.id FOR UPDATE OF d)`

// clearAllWaitsSQL takes the waiting mark off every pending deal whose
// contact has no pending operation: after a statement that removed
// contact operations other than by finishing them (an erase, a replay's
// drop of superseded ones), and now and then in the claim of deals
// (sweepWaits).
const clearAllWaitsSQL = `UPDATE outbox SET waits = false WHERE id IN (
	SELECT d.id FROM outbox d WHERE d.state = 'pending' AND d.waits
	  AND NOT EXISTS (SELECT 1 FROM outbox p
	    WHERE p.target = d.target AND p.kind = 'contact' AND p.key = d.contact_key AND p.state = 'pending')
	ORDER BY d.id FOR UPDATE OF d)`

// sweepEvery is how often at most a claim of deals that came up short
// takes off the marks a finish left (sweepWaits).
const sweepEvery = 10 * time.Second

// sweepWaits takes off, at most every sweepEvery, the waiting marks of
// deals whose contact has no pending operation left (clearAllWaitsSQL).
// The finishes of this syncd leave none, but those of an older one, on
// the same database while the instances are upgraded one by one, clear
// no mark: a deal marked by an upgraded instance's mapper and its contact
// finished by an older sync leader would wait for ever. The claim of
// deals calls it when it took less than it was asked for; one sweep
// reads the marked deals once, as every claim of deals read them before
// migration 0019.
func (db *DB) sweepWaits(ctx context.Context, tx pgx.Tx) error {
	now := time.Now().UnixNano()
	last := db.swept.Load()
	if now-last < int64(sweepEvery) || !db.swept.CompareAndSwap(last, now) {
		return nil
	}
	if _, err := tx.Exec(ctx, clearAllWaitsSQL); err != nil {
		return fmt.Errorf("deals waiting for no contact: %w", err)
	}
	return nil
}
