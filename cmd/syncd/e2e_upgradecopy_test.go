package main_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestUpgradeKeepsTheWayBack: the first command run after installing a
// newer syncd migrated the database in place and said "to go back,
// restore the backup taken before the upgrade", which nothing had taken.
// The database as it was is copied beside it first, named where the
// migration is said, and recorded as a backup: erase names it among the
// copies still holding the person.
func TestUpgradeKeepsTheWayBack(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	u := loadUpgradeFixture(t, "../../testdata/upgrade/v10-43459b1.sql", dir)
	config := writeConfig(t, dir)
	copyPath := filepath.Join(dir, "data", fmt.Sprintf("syncd.db.schema-%d.bak", u.version))
	// an earlier upgrade's copy, which stays
	earlier := filepath.Join(dir, "data", fmt.Sprintf("syncd.db.schema-%d.bak", u.version-1))
	os.WriteFile(earlier, []byte("an earlier upgrade's copy"), 0o600)

	out, stderr, code := syncdRun(t, "erase", "-config", config, "-email", "angela7913@hotmail.com")
	if code != 0 {
		t.Fatalf("erase after the upgrade: exit %d\n%s%s", code, out, stderr)
	}
	mustContain(t, "erase's stderr", stderr, fmt.Sprintf("database schema migrated %d -> ", u.version),
		fmt.Sprintf("the database as it was (schema %d) is kept in %s", u.version, copyPath))
	mustContain(t, "erase", out, "backup: "+copyPath)

	raw, err := sql.Open("sqlite3", copyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var version, held int
	if err := raw.QueryRow(`SELECT (SELECT user_version FROM pragma_user_version),
		(SELECT count(*) FROM events WHERE body LIKE '%angela7913@hotmail.com%')`).Scan(&version, &held); err != nil {
		t.Fatal(err)
	}
	if version != u.version || held == 0 {
		t.Errorf("the copy: schema %d holding %d of the person's events; want schema %d, as the older syncd left it, holding them", version, held, u.version)
	}
	if strings.Contains(stderr, "restore the backup taken before the upgrade") {
		t.Errorf("erase speaks of a backup nothing took:\n%s", stderr)
	}

	// status says it is there while it is: it holds people, and room.
	out, _, _ = syncdRun(t, "status", "-config", config)
	mustContain(t, "status", out, fmt.Sprintf("upgrade copy  %s (schema %d, ", copyPath, u.version),
		"the way back to the older syncd\n", fmt.Sprintf("  %s (schema %d, 0.0 MB, ", earlier, u.version-1),
		"an earlier upgrade's\n", "each holds every lead held before its upgrade: delete them once this syncd runs well")
	os.Remove(earlier)
	d := start(t, config)
	out, _, _ = syncdRun(t, "status", "-config", config)
	mustContain(t, "status of the daemon", out, "upgrade copy  "+copyPath)
	os.Remove(copyPath)
	if out, _, _ = syncdRun(t, "status", "-config", config); strings.Contains(out, "upgrade copy") {
		t.Errorf("status after the copy was deleted:\n%s", out)
	}
	d.stop(t, syscall.SIGTERM)
}
