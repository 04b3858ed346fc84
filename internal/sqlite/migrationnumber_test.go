package sqlite_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/sqlite/sqlitetest"
)

// TestSchemaVersionIsTheMigrationsNumber: 0012 was made while another
// change made 0011, so a binary with 0012 alone had migrations numbered
// 0001-0010 and 0012. The runner took a migration's place in the list for
// its version: 0012 was recorded as schema 11, and once 0011 landed a
// database at 11 would have skipped 0011 and met 0012 again. The version
// is the file's number (a gap in the numbers: internal/migration's
// TestVersionsAreTheFilesNumbers): a new database is at the last file's
// number, and one left at 11 gets 0012 and those after alone.
func TestSchemaVersionIsTheMigrationsNumber(t *testing.T) {
	ctx := context.Background()
	version := func(db *sql.DB) int {
		var v int
		if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	files, err := sqlitetest.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	last := files[len(files)-1]
	if v := version(sqlite.RawWriter(openTest(t))); v != last.Version {
		t.Fatalf("new database at schema %d, want %d (%s's number)", v, last.Version, last.Path)
	}
	path, raw := oldSchema(t, 11) // as 0011 left it
	if v := version(raw); v != 11 {
		t.Fatalf("database at schema %d, want 11", v)
	}
	db := upgraded(t, path, raw)
	if from, to := db.Migrated(); from != 11 || to != last.Version || version(sqlite.RawWriter(db)) != last.Version {
		t.Fatalf("migrated %d -> %d, at %d; want 11 -> %d", from, to, version(sqlite.RawWriter(db)), last.Version)
	}
	if _, err := sqlite.RawWriter(db).ExecContext(ctx, `SELECT mail_waiting FROM reports`); err != nil {
		t.Fatalf("0012 not applied: %v", err)
	}
	// 0013 only dropped outbox_pending_key, which 0017's rebuild of the
	// outbox drops again whatever came before: its absence here could not
	// fail, so the versions above are what show 0013 ran.
}
