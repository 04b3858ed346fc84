package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestUpgradeKeepsTheDatabaseAsItWas: an upgrade migrated the schema in
// place and said "to go back, restore the backup taken before the
// upgrade", which nothing had taken: an operator whose new syncd
// misbehaved had no way back to the older one, which refuses the
// migrated file. Open copies the database beside it first, marked as a
// backup, and keeps the latest such copy alone.
func TestUpgradeKeepsTheDatabaseAsItWas(t *testing.T) {
	ctx := context.Background()
	fixtures := upgradeFixtures(t)
	path := restoreDump(t, fixtures[len(fixtures)-1])
	before := rowCounts(t, path)
	earlier := sqlite.UpgradeCopyPath(path, before.version-1) // an earlier upgrade's
	os.WriteFile(earlier, []byte("an earlier upgrade's copy"), 0o600)
	other := filepath.Join(filepath.Dir(path), "other.db.schema-2.bak") // another database's: not ours
	os.WriteFile(other, []byte("not syncd.db's"), 0o600)

	db, err := sqlite.Open(ctx, path, sqlite.Options{ContactKey: mapping.EmailKey})
	if err != nil {
		t.Fatal(err)
	}
	up := db.UpgradeCopy()
	db.Close()
	if up.Err != nil || up.Path != filepath.Join(filepath.Dir(path), "syncd.db.schema-"+strconv.Itoa(before.version)+".bak") ||
		up.Schema != before.version || up.TakenAt.IsZero() {
		t.Fatalf("the copy before the upgrade: %+v", up)
	}
	if got := rowCounts(t, up.Path); got != before {
		t.Errorf("the copy holds %+v, want the database as it was, %+v", got, before)
	}
	c, err := sqlite.Open(ctx, up.Path, sqlite.Options{AsIs: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := c.StateValue(ctx, sqlite.StateBackupTaken); err != nil || !ok {
		t.Errorf("the copy is not marked as a backup taken: %v %v", ok, err)
	}
	c.Close()
	// The earlier upgrade's copy stays (an upgrade killed between two
	// migrations leaves the way back in the copy before it); listed newest
	// schema first, another database's file not among them.
	copies := sqlite.UpgradeCopiesBeside(path)
	if len(copies) != 2 || copies[0].Path != up.Path || copies[1].Path != earlier || copies[1].Schema != before.version-1 {
		t.Errorf("copies beside the database: %+v; want this upgrade's, then the earlier one's", copies)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another database's file was removed: %v", err)
	}

	// Opened again, at this syncd's schema: no copy.
	db, err = sqlite.Open(ctx, path, sqlite.Options{ContactKey: mapping.EmailKey})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if up := db.UpgradeCopy(); up != (sqlite.UpgradeCopy{}) {
		t.Errorf("a copy taken where nothing was migrated: %+v", up)
	}
	from, to := db.Migrated()
	db.Close()

	// Rolled back to the older syncd, which refuses the migrated file: it
	// names the copy it opens.
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, to+1)); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, err = sqlite.Open(ctx, path, sqlite.Options{ContactKey: mapping.EmailKey})
	var newer *sqlite.NewerSchemaError
	if !errors.As(err, &newer) || newer.Copy != up.Path || !strings.Contains(err.Error(), "restore "+up.Path+", the copy the upgrade took") {
		t.Errorf("an older syncd on the migrated file (%d): %v", from, err)
	}
	os.Remove(up.Path)
	os.Remove(earlier)
	if _, err = sqlite.Open(ctx, path, sqlite.Options{ContactKey: mapping.EmailKey}); !errors.As(err, &newer) || newer.Copy != "" ||
		!strings.Contains(err.Error(), "restore the backup taken before the upgrade") {
		t.Errorf("the copy deleted: %v", err)
	}
}

// TestUpgradeWithoutRoomForTheCopyGoesOn: a copy that cannot be made is
// said, and the migration goes on (the daemon must serve).
func TestUpgradeWithoutRoomForTheCopyGoesOn(t *testing.T) {
	fixtures := upgradeFixtures(t)
	path := restoreDump(t, fixtures[len(fixtures)-1])
	before := rowCounts(t, path)
	os.Mkdir(sqlite.UpgradeCopyPath(path, before.version), 0o700) // in the way of the rename
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{ContactKey: mapping.EmailKey})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if up := db.UpgradeCopy(); up.Err == nil || up.Path != "" || up.Schema != before.version {
		t.Fatalf("the copy that could not be made: %+v", up)
	}
	if from, to := db.Migrated(); from != before.version || to <= from {
		t.Fatalf("migrated %d -> %d", from, to)
	}
}
