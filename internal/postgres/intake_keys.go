package postgres

// This file keeps intake_keys to the duplicate window, as the SQLite store
// keeps seen_keys: a key received before the window can no longer make a
// duplicate (the intake's ON CONFLICT takes it as new), so the daily purge
// deletes it. The window the keys were last swept with is in state
// (keysWindow): an instance started with a longer window first puts back
// the keys of the events of the longer window, so that lengthening
// intake.dedup_window holds for deliveries already received, as on SQLite.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// keysWindow names the state row holding the window, in seconds, that
// intake_keys was last swept with; without it every key ever is held.
const keysWindow = "intake_keys.window"

// sweepKeysSQL deletes a batch of keys received before the cut-off ($1),
// at most $2, walking intake_keys_received from $3; it returns each
// deleted key's received_at. A key an intake holds (refreshing it as a
// new event) is skipped: it stays, in the window.
const sweepKeysSQL = `DELETE FROM intake_keys WHERE (source, idem_key) IN (SELECT source, idem_key FROM intake_keys
  WHERE received_at >= $3 AND received_at < $1 ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)
RETURNING received_at`

// restoreKeysSQL puts back the key of every event received since $1
// (the newest event of each key), leaving keys already held alone.
const restoreKeysSQL = `INSERT INTO intake_keys (source, idem_key, event_id, received_at)
SELECT DISTINCT ON (source, idem_key) source, idem_key, id, received_at FROM events
WHERE received_at >= $1 ORDER BY source, idem_key, id DESC
ON CONFLICT (source, idem_key) DO NOTHING`

// sweepKeys deletes the keys received longer than window before now, in
// short batches, and returns how many it deleted.
func (db *DB) sweepKeys(ctx context.Context, window time.Duration, now time.Time) (int, error) {
	if err := db.holdKeys(ctx, window, now); err != nil {
		return 0, err
	}
	if err := db.setKeysWindow(ctx, window, now); err != nil { // first: an intake starting meanwhile sees it
		return 0, err
	}
	cut := now.Add(-window)
	return db.purgeWalk(ctx, sweepKeysSQL, nil, func(lo time.Time) []any { return []any{cut, purgeBatch, lo} })
}

// holdKeys makes intake_keys hold every key of the last window: when the
// keys were swept with a shorter window, it puts back those of the events
// received within this one.
func (db *DB) holdKeys(ctx context.Context, window time.Duration, now time.Time) error {
	var v string
	err := db.pool.QueryRow(ctx, `SELECT value FROM state WHERE name = $1`, keysWindow).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // never swept
	}
	if err != nil {
		return fmt.Errorf("intake keys: %w", err)
	}
	if swept, err := strconv.ParseInt(v, 10, 64); err == nil && swept >= int64(window/time.Second) {
		return nil
	}
	if _, err := db.pool.Exec(ctx, restoreKeysSQL, now.Add(-window)); err != nil {
		return fmt.Errorf("intake keys: restore: %w", err)
	}
	return db.setKeysWindow(ctx, window, now)
}

// setKeysWindow records the window intake_keys is kept for.
func (db *DB) setKeysWindow(ctx context.Context, window time.Duration, now time.Time) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO state (name, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		keysWindow, strconv.FormatInt(int64(window/time.Second), 10), now)
	if err != nil {
		return fmt.Errorf("intake keys: %w", err)
	}
	return nil
}
