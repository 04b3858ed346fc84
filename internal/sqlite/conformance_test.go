package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/storetest"
)

// TestConformance runs the store conformance suite, the same tests the
// PostgreSQL store passes.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) func(now func() time.Time) storetest.Handle {
		path := filepath.Join(t.TempDir(), "syncd.db")
		return func(now func() time.Time) storetest.Handle {
			db, err := sqlite.Open(context.Background(), path, sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			db.Now = now
			return storetest.Handle{Store: db, NewIntake: func(w time.Duration) storetest.Intake {
				return db.NewIntake(sqlite.IntakeOptions{Window: w})
			}, RefuseContact: func(key string) { refuseContact(t, path, key) },
				Busy:                func() (storetest.Store, func()) { return busy(t, path, now) },
				PurgedKeepingFields: func(id int64) { purgedKeepingFields(t, path, id) },
				TypesMigrated:       func() { typesMigrated(t, path) }}
		}
	})
}

// refuseContact makes the database at path refuse every outbox operation
// of the contact key with a trigger, as a constraint would.
func refuseContact(t *testing.T, path, key string) {
	t.Helper()
	raw := rawDB(t, path)
	quoted := "'" + strings.ReplaceAll(key, "'", "''") + "'" // a trigger takes no parameters
	_, err := raw.Exec(`CREATE TRIGGER refuse_one BEFORE INSERT ON outbox
		WHEN NEW.key = ` + quoted + ` OR NEW.contact_key = ` + quoted + `
		BEGIN SELECT RAISE(ABORT, 'refused by a constraint'); END`)
	if err != nil {
		t.Fatal(err)
	}
}

// busy holds the write lock of the database at path from another
// connection, and opens a store on it that waits 50 ms for a lock.
func busy(t *testing.T, path string, now func() time.Time) (storetest.Store, func()) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{BusyTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	db.Now = now
	t.Cleanup(func() { db.Close() })
	lock, err := rawDB(t, path).Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	return db, func() {
		if _, err := lock.ExecContext(context.Background(), "ROLLBACK"); err != nil {
			t.Fatal(err)
		}
		lock.Close()
	}
}

// rawDB opens the database at path without the store, closed at the end.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// purgedKeepingFields empties event id's body in the database at path as
// an older syncd's purge did, its type and key kept as they are.
func purgedKeepingFields(t *testing.T, path string, id int64) {
	t.Helper()
	if _, err := rawDB(t, path).Exec(`UPDATE events SET body = X'', payload = NULL, map_error = '',
		purged_at = strftime('%Y-%m-%dT%H:%M:%fZ') WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
}

// typesMigrated runs the stored types' migration step on the database at
// path, in a transaction of its own.
func typesMigrated(t *testing.T, path string) {
	t.Helper()
	if err := sqlite.MigrateTypes(context.Background(), rawDB(t, path)); err != nil {
		t.Fatal(err)
	}
}
