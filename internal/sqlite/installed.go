package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// stateInstalled names the state row holding when the daemon first ran on
// this database.
const stateInstalled = "installed_at"

// InstalledAt returns when the daemon first ran on this database, and
// records now as that time when it is asked for the first time: the
// scheduler makes no report of a day before the installation existed. A
// database that holds deliveries by then was made by a syncd that did not
// record its first start (an upgrade): its first delivery, an event or a
// quarantined body, is recorded instead, or the days it received on would
// read as days before syncd, their missed reports never made.
func (db *DB) InstalledAt(ctx context.Context) (time.Time, error) {
	now := db.now()
	// Times are stored in one fixed-width format, so the least string is
	// the earliest; each min is a seek in its received_at index. The WHERE
	// keeps SQLite from reading ON CONFLICT as a join's ON.
	if _, err := db.w.ExecContext(ctx, `INSERT INTO state (name, value, updated_at)
SELECT ?1, min(?2, coalesce((SELECT min(received_at) FROM events), ?2), coalesce((SELECT min(received_at) FROM quarantine), ?2)), ?2
WHERE true
ON CONFLICT (name) DO NOTHING`, stateInstalled, now); err != nil {
		return time.Time{}, fmt.Errorf("installed at: %w", explainFull(db.path, err))
	}
	v, ok, err := db.StateValue(ctx, stateInstalled)
	if err != nil {
		return time.Time{}, fmt.Errorf("installed at: %w", err)
	}
	if !ok {
		return time.Time{}, fmt.Errorf("installed at: not recorded")
	}
	return parseTime(sql.NullString{String: v, Valid: true}), nil
}
