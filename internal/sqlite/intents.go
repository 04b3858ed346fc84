package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Intent returns when a create of (target, kind, key) was last sent (see
// crm.Guard), or the zero time if none is recorded.
func (db *DB) Intent(ctx context.Context, target string, kind syncd.RecordKind, key string) (time.Time, error) {
	var at string
	err := db.r.QueryRowContext(ctx, `SELECT sent_at FROM crm_intents WHERE target = ? AND kind = ? AND key = ?`,
		target, string(kind), key).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("intent: %w", err)
	}
	return parseTime(sql.NullString{String: at, Valid: true}), nil
}

// SetIntent records that a create of (target, kind, key) was sent at at;
// a zero at clears the record. It returns once the record is on disk
// (DB.Durable): the intent guards the create the caller sends next.
func (db *DB) SetIntent(ctx context.Context, target string, kind syncd.RecordKind, key string, at time.Time) error {
	var err error
	if at.IsZero() {
		_, err = db.w.ExecContext(ctx, `DELETE FROM crm_intents WHERE target = ? AND kind = ? AND key = ?`,
			target, string(kind), key)
	} else {
		_, err = db.w.ExecContext(ctx, `INSERT INTO crm_intents (target, kind, key, sent_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (target, kind, key) DO UPDATE SET sent_at = excluded.sent_at`,
			target, string(kind), key, fmtTime(at))
	}
	if err == nil {
		err = db.Durable()
	}
	if err != nil {
		return fmt.Errorf("set intent: %w", err)
	}
	return nil
}
