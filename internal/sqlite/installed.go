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
// scheduler makes no report of a day before the installation existed.
func (db *DB) InstalledAt(ctx context.Context) (time.Time, error) {
	now := db.now()
	if _, err := db.w.ExecContext(ctx, `INSERT INTO state (name, value, updated_at) VALUES (?, ?, ?)
ON CONFLICT (name) DO NOTHING`, stateInstalled, now, now); err != nil {
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
