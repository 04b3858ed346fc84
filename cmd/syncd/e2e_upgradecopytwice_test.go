package main_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRestoredOlderBackupKeepsTheUpgradeCopy: after an upgrade, a backup
// the older syncd took before it, restored on the newer syncd, is
// migrated again, and the copy taken before that migration replaced the
// upgrade's own, of the same schema and name: the way back status still
// said "holds every lead held before the upgrade" was the older backup
// now, the leads between the two gone from every copy. The earlier copy
// stays as it was now, the new one beside it under the next name, and
// status names both, the latest the way back.
func TestRestoredOlderBackupKeepsTheUpgradeCopy(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	u := loadUpgradeFixture(t, "../../testdata/upgrade/v10-43459b1.sql", dir)
	config := writeConfig(t, dir)
	db := filepath.Join(dir, "data", "syncd.db")
	older := filepath.Join(t.TempDir(), "syncd-before.db") // the older syncd's backup, before the upgrade
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(older, b, 0o600); err != nil {
		t.Fatal(err)
	}
	upgrade := func() {
		t.Helper()
		if out, stderr, code := syncdRun(t, "purge", "-config", config); code != 0 {
			t.Fatalf("purge (migrating): exit %d\n%s%s", code, out, stderr)
		}
	}
	upgrade()
	first := fmt.Sprintf("%s.schema-%d.bak", db, u.version)
	kept, err := os.ReadFile(first)
	if err != nil {
		t.Fatalf("the upgrade took no copy: %v", err)
	}

	restore(t, older, db)
	upgrade()
	if now, err := os.ReadFile(first); err != nil || !bytes.Equal(now, kept) {
		t.Errorf("the upgrade's copy %s was replaced (%v) by the copy of the backup restored after it", first, err)
	}
	second := fmt.Sprintf("%s.schema-%d.2.bak", db, u.version)
	if _, err := os.Stat(second); err != nil {
		t.Errorf("no copy taken before the second migration beside the first: %v", err)
	}
	out, _, _ := syncdRun(t, "status", "-config", config)
	mustContain(t, "status", out, fmt.Sprintf("upgrade copy  %s (schema %d, ", second, u.version),
		"the way back to the older syncd\n", fmt.Sprintf("  %s (schema %d, ", first, u.version), "an earlier upgrade's\n")
}

// TestUpgradeCopyOfARestoreIsNoLaterBackup: a backup taken with syncd
// backup before the upgrade (it leaves the older schema as it is),
// restored after it, is migrated by its first writer, which copies it
// first. Status then said "1 later backup of the database it was taken of
// exists (newest ...schema-N.2.bak ...), holding leads this restore lacks:
// ... restore the newest": that copy is the restore itself, and restoring
// it gains nothing. It is no later backup now; erase still names it among
// the copies holding the person, as taken when the backup was.
func TestUpgradeCopyOfARestoreIsNoLaterBackup(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	u := loadUpgradeFixture(t, "../../testdata/upgrade/v10-43459b1.sql", dir)
	config := writeConfig(t, dir)
	db := filepath.Join(dir, "data", "syncd.db")
	before := filepath.Join(t.TempDir(), "syncd-before.db")
	syncdOK(t, "backup", "-config", config, "-out", before)
	syncdOK(t, "purge", "-config", config) // the upgrade
	restore(t, before, db)
	syncdOK(t, "purge", "-config", config) // the restore's first writer migrates it
	copyPath := fmt.Sprintf("%s.schema-%d.2.bak", db, u.version)
	out, _, _ := syncdRun(t, "status", "-config", config)
	mustContain(t, "status", out, "restored  ", "from a backup taken at", "upgrade copy  "+copyPath)
	if strings.Contains(out, "later backup") {
		t.Errorf("status names a later backup holding leads the restore lacks:\n%s", out)
	}
	out, stderr, code := syncdRun(t, "erase", "-config", config, "-email", "angela7913@hotmail.com")
	if code != 0 {
		t.Fatalf("erase: exit %d\n%s%s", code, out, stderr)
	}
	mustContain(t, "erase", out, "backup: "+copyPath+" taken at")
}
