package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// GiveUpOp makes operation id a dead letter given up by hand
// (syncd.DeadGivenUp) when it is pending for target and no syncer holds it
// (its lease, if any, ran out), or a dead letter for target not given up
// yet (the CRM refused it, it ran out of attempts, or it is a deal whose
// contact died), which the operator dealt with by hand in the CRM: reason
// goes before its last error. A contact without a CRM id takes with it its
// deals no syncer holds that are pending or dead for want of it (given up
// with it, they are no alarm), whose ids it returns; RetryDeadOp brings
// them back with it. Any other operation is a syncd.ENotFound error, and
// nothing changes. A CRM erasure of an earlier account
// (syncd.DeadOtherAccount, dead since syncd crm forget-links) becomes
// syncd.DeadOtherAccountGivenUp, done by hand there, which no retry sends.
// A dead contact takes with it, first among the ids, its updates that
// died with it (reviveDiedWith), which it was one write with: entered in
// the CRM by hand, it holds their values too, and a retry brings them back
// with it.
func (db *DB) GiveUpOp(ctx context.Context, id int64, target, reason string) ([]int64, error) {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("give up op: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	// Leases and update times are on the server's clock: on this host's,
	// one ahead gave up an operation the sync leader was still sending.
	now := db.serverNow()
	var was struct {
		state, cause string
		updated      time.Time
	}
	err = tx.QueryRow(ctx, `SELECT state, updated_at, dead_cause FROM outbox WHERE id = $1`, id).
		Scan(&was.state, &was.updated, &was.cause)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("give up op: %w", err)
	}
	var kind, key string
	err = tx.QueryRow(ctx, `UPDATE outbox SET state = 'dead', lease_until = NULL,
		dead_cause = CASE WHEN dead_cause = $7 THEN $6 ELSE $5 END,
		last_error = $4 || CASE WHEN last_error <> '' THEN '; last error: ' || last_error ELSE '' END, updated_at = $3
		WHERE id = $1 AND target = $2 AND (state = 'pending' AND (lease_until IS NULL OR lease_until <= $8)
		  OR state = 'dead' AND dead_cause IN ('', $7, $9))
		RETURNING kind, key`, id, target, now, reason, string(syncd.DeadGivenUp),
		string(syncd.DeadOtherAccountGivenUp), string(syncd.DeadOtherAccount), now, string(syncd.DeadNoContact)).Scan(&kind, &key)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, syncd.Errorf(syncd.ENotFound, "no outbox op %d for %s pending that no syncer holds, or dead and not given up", id, target)
	}
	if err != nil {
		return nil, fmt.Errorf("give up op: %w", err)
	}
	var with []int64
	if kind == string(syncd.RecordContact) && was.state == string(syncd.OpDead) {
		rows, err := tx.Query(ctx, `UPDATE outbox SET dead_cause = $7, updated_at = $3,
			last_error = $6 || ' with operation ' || $4::bigint || ' of the same contact'
			  || CASE WHEN last_error <> '' THEN '; last error: ' || last_error ELSE '' END
			WHERE target = $1 AND kind = 'contact' AND key = $2 AND state = 'dead' AND id <> $4 AND updated_at = $5 AND dead_cause = $8
			RETURNING id`, target, key, now, id, was.updated, reason, string(syncd.DeadGivenUp), was.cause)
		if err == nil {
			with, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		}
		if err != nil {
			return nil, fmt.Errorf("give up op: %w", err)
		}
		slices.Sort(with)
	}
	if kind == string(syncd.RecordContact) {
		var deals []int64
		rows, err := tx.Query(ctx, `UPDATE outbox SET state = 'dead', lease_until = NULL, dead_cause = $5,
			last_error = $4 || ' with its contact (operation ' || $6::bigint || ')'
			  || CASE WHEN state = 'dead' AND last_error <> '' THEN '; last error: ' || last_error ELSE '' END, updated_at = $3
			WHERE target = $1 AND kind = 'deal' AND contact_key = $2
			  AND (state = 'pending' AND (lease_until IS NULL OR lease_until <= $7) OR state = 'dead' AND dead_cause = $8)
			  AND NOT EXISTS (SELECT 1 FROM crm_links WHERE target = $1 AND kind = 'contact' AND key = $2)
			RETURNING id`, target, key, now, reason, string(syncd.DeadGivenUp), id, now, string(syncd.DeadNoContact))
		if err == nil {
			deals, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		}
		if err != nil {
			return nil, fmt.Errorf("give up op: %w", err)
		}
		slices.Sort(deals)
		with = append(with, deals...)
		if err := clearWaits(ctx, tx, []string{target}, []string{key}); err != nil { // the deals left pending
			return nil, fmt.Errorf("give up op: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("give up op: %w", err)
	}
	return with, nil
}
