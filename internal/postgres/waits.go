package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// markWaits marks as waiting (outbox.waits, migration 0019) the pending
// deals of the contacts given (by target, keys[i] with targets[i]), whose
// operation the finish before it in tx left pending (a retry): the claim
// of deals then reads them no more until that contact's last pending
// operation ends (clearWaits). tx holds that operation's row, rescheduled,
// until it commits, so no finish can end it before the marks are
// committed, and the finish that does sees them. The deals are locked in
// id order, as every batch locks its rows.
func markWaits(ctx context.Context, tx pgx.Tx, targets, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	return setWaits(ctx, tx, markWaitsSQL, true, targets, keys)
}

// setWaits locks the deals query returns (its arguments the targets and
// keys of contacts) and sets their mark to waits, with no statement that
// writes when there is none: migration 0018's trigger runs on every
// UPDATE of the outbox, one that changes no row too.
func setWaits(ctx context.Context, tx pgx.Tx, query string, waits bool, targets, keys []string) error {
	rows, err := tx.Query(ctx, query, targets, keys)
	if err != nil {
		return fmt.Errorf("deals of %d contacts: %w", len(keys), err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err == nil && len(ids) > 0 {
		_, err = tx.Exec(ctx, `UPDATE outbox SET waits = $2 WHERE id = ANY($1)`, ids, waits)
	}
	if err != nil {
		return fmt.Errorf("deals of %d contacts: %w", len(keys), err)
	}
	return nil
}

// markWaitsSQL locks, in id order, and returns the pending deals not
// marked of the contacts given ($1 the targets, $2 the keys), each one's
// sought in outbox_deal_contact (contactDeals).
var markWaitsSQL = contactDeals(`NOT w.waits`, ``)

// clearWaits takes the waiting mark off the pending deals of the contacts
// given (by target, keys[i] with targets[i]) that have no pending
// operation left, after the statement that ended theirs in tx: statements
// of their own, so that they see the marks committed while that one ran
// (a finish that waited for another's retry of the same operation, after
// a lease ran out, sees that retry's marks only so). They write only
// where a mark is to go: a contact sent at the first try has none.
func clearWaits(ctx context.Context, tx pgx.Tx, targets, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	return setWaits(ctx, tx, clearWaitsSQL, false, targets, keys)
}

// clearWaitsSQL locks, in id order, and returns the marked deals of the
// contacts given ($1 the targets, $2 the keys) that have no pending
// operation: clearWaits then takes their marks off. Each contact's
// pending operations are sought by its key (OFFSET 0: a join, the
// statistics never taken, would read every pending contact), in
// outbox_once, the state an IS TRUE (claimSQL says why).
var clearWaitsSQL = contactDeals(`w.waits`, `NOT EXISTS (SELECT 1 FROM outbox p
	  WHERE p.target = c.target AND p.kind = 'contact' AND p.key = c.key AND (p.state = 'pending') IS TRUE OFFSET 0)`)

// contactDeals is a statement that locks, in id order, and returns the
// pending deals of the contacts given ($1 the targets, $2 the keys) that
// hold deal (SQL over the deal w) and whose contact holds contact (SQL
// over c's target and key, "" for none). Each contact's deals are sought
// in outbox_deal_contact by its target and key, and then each deal by
// its id, to be locked in id order, whatever the statistics: as a join
// of the contacts with the pending deals, on a database never analyzed
// (a new one, before autovacuum's first look), PostgreSQL read every
// pending deal of that index at each finish of contacts, its keys a
// filter (10,000 deals, 286 ms a finish, at 10,000 pending; 2026-12-07).
// OFFSET 0 keeps each contact's look a seek of its own; ANY(ARRAY(...))
// makes the deals found a list of ids to seek, never a join; and the
// deal's own conditions, asked again of its row once locked, are one IS
// TRUE, so that no partial index's condition follows from them (never
// analyzed, PostgreSQL took the whole of outbox_deal_contact for a scan
// of one row, and the ids for its filter).
// TestFinishSeeksEachContactsDeals reads the plans.
func contactDeals(deal, contact string) string {
	if contact != "" {
		contact = "\n\t  WHERE " + contact
	}
	return `SELECT d.id FROM outbox d WHERE d.id = ANY(ARRAY(
	SELECT w.id FROM (SELECT DISTINCT target, key FROM unnest($1::text[], $2::text[]) AS c(target, key)) c
	CROSS JOIN LATERAL (SELECT w.id FROM outbox w WHERE w.target = c.target AND w.contact_key = c.key
	  AND w.state = 'pending' AND w.kind = 'deal' AND ` + deal + ` OFFSET 0) w` + contact + `))
	AND (d.state = 'pending' AND d.kind = 'deal' AND ` + strings.ReplaceAll(deal, "w.", "d.") + `) IS TRUE
	ORDER BY d.id FOR UPDATE OF d`
}

// clearAllWaitsSQL takes the waiting mark off every pending deal whose
// contact has no pending operation: after a statement that removed
// contact operations other than by finishing them (an erase, a replay's
// drop of superseded ones), and now and then in the claim of deals
// (sweepWaits). It reads the marked deals alone, in outbox_waiting
// (migration 0020: its condition names a contact, as this statement
// does and clearWaitsSQL does not), and seeks each one's contact (OFFSET 0 keeps the NOT EXISTS from becoming a join, which,
// the statistics never taken, read every pending contact for each marked
// deal: 12.5 s at 5,000 marked), in outbox_once, the state an IS TRUE
// (claimSQL says why: with emails for keys, never analyzed, it read
// outbox_claim by target and kind, 3.2-3.8 s at 5,000 marked).
// TestSweepReadsOnlyTheMarkedDeals and TestClaimSeeksEachKeyNeverAnalyzed
// read its plans.
const clearAllWaitsSQL = `UPDATE outbox SET waits = false WHERE id IN (
	SELECT d.id FROM outbox d WHERE d.state = 'pending' AND d.kind = 'deal' AND d.waits AND d.contact_key <> ''
	  AND NOT EXISTS (SELECT 1 FROM outbox p
	    WHERE p.target = d.target AND p.kind = 'contact' AND p.key = d.contact_key AND (p.state = 'pending') IS TRUE OFFSET 0)
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
