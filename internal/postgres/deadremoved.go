package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// execer is a pool or a transaction.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// This file keeps the quarter hours in which dead operations that the
// retention purge or syncd erase deleted had died. A dead operation's CRM
// error is on the Needs attention sheet of the day it died, and may name
// the person (HubSpot's INVALID_EMAIL holds the address); that day need
// not be the day its lead was received, and the operation leaves no row
// behind, so RemovedSince finds it here: each instance makes its own copy
// of that day's workbook again, not only the one on the host that purged
// or erased.

// deadRemovedPrefix names the state rows, one a quarter hour in which
// removed dead operations had died: the prefix and the quarter's number
// (Unix seconds / 900, on the server's clock) in ten digits, so that the
// names of a day's quarters are one range of the state table's key. Each
// row's updated_at is when the last was removed, on the server's clock.
const deadRemovedPrefix = "dead_ops_removed:"

// deadRemovedKept is how long a row is kept after the quarter it names: a
// workbook older than that (report.keep_days is 90 by default) is
// past its keep anyway.
const deadRemovedKept = 400 * 24 * time.Hour

// deadRemovedName is the name of the row of quarter q.
func deadRemovedName(q int64) string { return fmt.Sprintf("%s%010d", deadRemovedPrefix, q) }

// deadRemovedRange returns the names that bound the rows of the quarters
// in [from, to), times on the server's clock.
func deadRemovedRange(from, to time.Time) (lo, hi string) {
	return deadRemovedName(from.Unix() / 900), deadRemovedName((to.Unix() + 899) / 900)
}

// recordDeadRemoved records that dead operations that had died in the
// quarters of died (on the server's clock) were removed at at (the
// server's), and drops the rows past deadRemovedKept.
func recordDeadRemoved(ctx context.Context, exec execer, died syncd.Quarters, at time.Time) error {
	if len(died) == 0 {
		return nil
	}
	var names, quarters []string
	for _, t := range died.Times() {
		names = append(names, deadRemovedName(t.Unix()/900))
		quarters = append(quarters, t.Format(time.RFC3339))
	}
	if _, err := exec.Exec(ctx, `INSERT INTO state (name, value, updated_at) SELECT n, q, $3 FROM unnest($1::text[], $2::text[]) AS r(n, q)
ON CONFLICT (name) DO UPDATE SET updated_at = excluded.updated_at`, names, quarters, at); err != nil {
		return fmt.Errorf("record removed dead operations: %w", err)
	}
	lo, hi := deadRemovedRange(time.Unix(0, 0), at.Add(-deadRemovedKept))
	if _, err := exec.Exec(ctx, `DELETE FROM state WHERE name >= $1 AND name < $2`, lo, hi); err != nil {
		return fmt.Errorf("record removed dead operations: %w", err)
	}
	return nil
}
