package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// checkpointWait is how long Checkpoint waits for readers of an older
// snapshot to move on.
const checkpointWait = 10 * time.Second

// errReadersStayed is Checkpoint's error when readers of an older
// snapshot stayed for all of checkpointWait: what was written is in the
// database, and the WAL keeps old pages until a later checkpoint.
var errReadersStayed = syncd.Errorf(syncd.EUnavailable, "checkpoint: another process kept reading the database for %s "+
	"(Litestream, a sqlite3 shell, a backup being copied), so the write-ahead log keeps the old pages: "+
	"try again once it is done (syncd purge)", checkpointWait)

// checkpointTry is how long one of Checkpoint's tries waits for a lock:
// writers wait for a pending truncating checkpoint, so it stays short,
// and a try that did not get its locks lets them through until the next.
const checkpointTry = 50 * time.Millisecond

// Checkpoint copies the WAL into the database file and truncates it, so
// that content deleted since (zeroed in the file by secure_delete) is gone
// from the WAL too. Beside a running daemon it waits for readers of an
// older snapshot to move on (Litestream, a sqlite3 shell, syncd backup's
// copy), for up to about ten seconds, in short tries between which the
// writers go on: SQLite blocks new writers while a truncating checkpoint
// waits, and a delivery would otherwise wait with it.
func (db *DB) Checkpoint(ctx context.Context) error {
	deadline := time.Now().Add(checkpointWait)
	for {
		busy, err := db.tryTruncate(ctx)
		if err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		if !busy {
			return nil
		}
		if time.Now().After(deadline) {
			return errReadersStayed
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("checkpoint: %w", ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// tryTruncate runs one truncating checkpoint on a writer connection whose
// busy timeout is checkpointTry meanwhile, with this process's writers
// held at the gate (intake first), and says whether it was busy.
func (db *DB) tryTruncate(ctx context.Context) (busy bool, err error) {
	c, err := db.w.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer c.Close()
	var was int64
	if err := c.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&was); err != nil {
		return false, err
	}
	if err := setBusyTimeout(ctx, c, checkpointTry.Milliseconds()); err != nil {
		return false, err
	}
	defer func() {
		if rerr := setBusyTimeout(context.WithoutCancel(ctx), c, was); rerr != nil {
			// not back in the pool with the short timeout: closed instead
			c.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	db.gate.acquire(false)
	defer db.gate.release()
	var state, frames, done int
	if err := c.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&state, &frames, &done); err != nil {
		return false, err
	}
	return state != 0, nil
}

// setBusyTimeout sets c's busy timeout, in milliseconds.
func setBusyTimeout(ctx context.Context, c *sql.Conn, ms int64) error {
	var got int64
	return c.QueryRowContext(ctx, fmt.Sprintf(`PRAGMA busy_timeout = %d`, ms)).Scan(&got)
}
