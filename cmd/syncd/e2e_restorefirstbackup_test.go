package main_test

import (
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRestoreOfTheFirstBackupFindsItselfAndTheLaterOnes: the first backup
// syncd backup ever made records no other backup, so once restored it
// knew no directory to look for backups in: erase of a person it holds
// named neither it nor the backups taken after it as still holding her,
// and the first start named no later backup. A copy records where it was
// written, and the restore looks there too.
func TestRestoreOfTheFirstBackupFindsItselfAndTheLaterOnes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	db := filepath.Join(dir, "data", "syncd.db")
	storeOldLeads(t, dir, e2eJane, time.Now().Add(-time.Hour))
	backups := t.TempDir()
	first, later := filepath.Join(backups, "syncd-1.db"), filepath.Join(backups, "syncd-2.db")
	for _, b := range []string{first, later} {
		syncdOK(t, "backup", "-config", config, "-out", b)
	}
	restore(t, first, db)
	stdout, stderr, code := syncdRun(t, "erase", "-config", config, "-email", e2eJane.email)
	if code != 0 && code != 5 {
		t.Fatalf("erase: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, b := range []string{first, later} {
		if !strings.Contains(stdout+stderr, "backup: "+b+" taken at") {
			t.Errorf("erase on the restore of the first backup does not name %s as holding her:\n%s%s", b, stdout, stderr)
		}
	}
	d := start(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if log := d.log(); !strings.Contains(log, `"later_backups":[`+strconv.Quote(later)+`]`) {
		t.Errorf("the first start on the restore of the first backup does not name the backup taken after it:\n%s", log)
	}
}
