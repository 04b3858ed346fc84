package sqlite_test

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestSchemaVersionIsTheMigrationsNumber: 0012 was made while another
// change made 0011, so a binary with 0012 alone had migrations numbered
// 0001-0010 and 0012. The runner took a migration's place in the list for
// its version: 0012 was recorded as schema 11, and once 0011 landed a
// database at 11 would have skipped 0011 and met 0012 again. The version
// is the file's number (a gap in the numbers: internal/migration's
// TestVersionsAreTheFilesNumbers): a new database is at the last file's
// number, 18, and one left at 11 gets 0012 to 0018 alone.
func TestSchemaVersionIsTheMigrationsNumber(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	version := func(db *sqlite.DB) int {
		var v int
		if err := sqlite.RawWriter(db).QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := version(db); v != 18 {
		t.Fatalf("new database at schema %d, want 18 (0018's number)", v)
	}
	// As 0011 left it.
	if _, err := sqlite.RawWriter(db).ExecContext(ctx, `ALTER TABLE reports DROP COLUMN mail_waiting;
		ALTER TABLE quarantine DROP COLUMN changed_of;
		ALTER TABLE reports DROP COLUMN mail_refused; ALTER TABLE reports DROP COLUMN mail_refused_who;
		ALTER TABLE reports DROP COLUMN mail_held; ALTER TABLE reports DROP COLUMN mail_unattached;
		CREATE INDEX outbox_pending_key ON outbox (target, kind, key) WHERE state = 'pending';
		DROP INDEX crm_links_contact; ALTER TABLE crm_links DROP COLUMN contact_key;
		PRAGMA user_version = 11`); err != nil {
		t.Fatal(err)
	}
	path := db.Path()
	db.Close()
	db, err := sqlite.Open(ctx, path, sqlite.Options{ContactKey: mapping.EmailKey})
	if err != nil {
		t.Fatalf("open a database at schema 11: %v", err)
	}
	defer db.Close()
	if from, to := db.Migrated(); from != 11 || to != 18 || version(db) != 18 {
		t.Fatalf("migrated %d -> %d, at %d; want 11 -> 18", from, to, version(db))
	}
	if _, err := sqlite.RawWriter(db).ExecContext(ctx, `SELECT mail_waiting FROM reports`); err != nil {
		t.Fatalf("0012 not applied: %v", err)
	}
	var left int
	if err := sqlite.RawWriter(db).QueryRowContext(ctx,
		`SELECT count(*) FROM sqlite_schema WHERE name = 'outbox_pending_key'`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("0013 not applied: outbox_pending_key still there (%d, %v)", left, err)
	}
}
