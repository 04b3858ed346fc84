package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Intent returns when a create of (target, kind, key) was last sent (see
// crm.Guard), or the zero time if none is recorded. Every instance sees it,
// on its own clock: intents are kept on the database server's (hostTime).
// Before, each sync leader wrote its own, so a next leader ten minutes
// ahead took a create sent just now as past its settle time and could
// send it again, and its report counted it among the creates in doubt.
func (db *DB) Intent(ctx context.Context, target string, kind syncd.RecordKind, key string) (time.Time, error) {
	var at time.Time
	err := db.pool.QueryRow(ctx, `SELECT sent_at FROM crm_intents WHERE target = $1 AND kind = $2 AND key = $3`,
		target, string(kind), key).Scan(&at)
	if errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("intent: %w", err)
	}
	return db.hostTime(at), nil
}

// SetIntent records that a create of (target, kind, key) was sent at at,
// on this host's clock; a zero at clears the record.
func (db *DB) SetIntent(ctx context.Context, target string, kind syncd.RecordKind, key string, at time.Time) error {
	var err error
	if at.IsZero() {
		_, err = db.pool.Exec(ctx, `DELETE FROM crm_intents WHERE target = $1 AND kind = $2 AND key = $3`,
			target, string(kind), key)
	} else {
		_, err = db.pool.Exec(ctx, `INSERT INTO crm_intents (target, kind, key, sent_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (target, kind, key) DO UPDATE SET sent_at = excluded.sent_at`,
			target, string(kind), key, db.serverTime(at))
	}
	if err != nil {
		return fmt.Errorf("set intent: %w", err)
	}
	return nil
}

// requeueReason is the last error of a contact operation made pending
// again because the CRM no longer has its record.
const requeueReason = "its CRM record is gone (deleted in the CRM): written again"

// RequeueContact is for a contact the CRM no longer has (deleted there):
// in one transaction it forgets the contact's CRM id and makes its newest
// delivered operation pending again, due now, so that the contact is
// written anew before the deals waiting for it. Nothing is revived when an
// operation of the contact is already pending. It reports whether an
// operation was revived.
func (db *DB) RequeueContact(ctx context.Context, target, key string) (bool, error) {
	var revived bool
	err := db.tx(ctx, "requeue contact", func(tx pgx.Tx) error {
		if err := setLink(ctx, tx, db.serverNow(), target, syncd.RecordContact, key, "", ""); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = $1,
			lease_until = NULL, last_error = $4, crm_id = '', updated_at = $1
			WHERE id = (SELECT id FROM outbox WHERE target = $2 AND kind = 'contact' AND key = $3 AND state = 'done'
			            ORDER BY id DESC LIMIT 1)
			AND NOT EXISTS (SELECT 1 FROM outbox WHERE target = $2 AND kind = 'contact' AND key = $3 AND state = 'pending')`,
			db.serverNow(), target, key, requeueReason)
		if err != nil {
			return err
		}
		revived = tag.RowsAffected() > 0
		if revived {
			_, err = tx.Exec(ctx, `SELECT pg_notify('syncd_outbox', '')`)
		}
		return err
	})
	return revived, err
}

// UnconfirmedCreates counts the creates sent to target before sentBefore
// whose record the CRM has not shown since (no link): creates in doubt.
// sentBefore is on this host's clock, as Intent gives them.
func (db *DB) UnconfirmedCreates(ctx context.Context, target string, sentBefore time.Time) (int, error) {
	var n int
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM crm_intents i
		WHERE i.target = $1 AND i.sent_at < $2
		  AND NOT EXISTS (SELECT 1 FROM crm_links l
		                  WHERE l.target = i.target AND l.kind = i.kind AND l.key = i.key AND l.crm_id <> '')`,
		target, db.serverTime(sentBefore)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("unconfirmed creates: %w", err)
	}
	return n, nil
}

// InstalledAt returns when syncd first ran on this database (recorded by
// the first call), on this host's clock: no report is due for days before
// it. It is kept on the server's (serverNow), so that the first instance's
// clock moves no other's first day.
func (db *DB) InstalledAt(ctx context.Context) (time.Time, error) {
	now := db.serverNow()
	if _, err := db.pool.Exec(ctx, `INSERT INTO state (name, value, updated_at) VALUES ('installed_at', $1, $2)
		ON CONFLICT (name) DO NOTHING`, syncd.FormatTime(now), now); err != nil {
		return time.Time{}, fmt.Errorf("installed at: %w", err)
	}
	v, ok, err := db.StateValue(ctx, "installed_at")
	if err != nil || !ok {
		return time.Time{}, fmt.Errorf("installed at: not recorded (%v)", err)
	}
	t, err := syncd.ParseTime(v)
	if err != nil {
		return time.Time{}, fmt.Errorf("installed at: %w", err)
	}
	return db.hostTime(t), nil
}
