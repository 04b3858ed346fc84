package main_test

import (
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRestoredBackupStatusNamesTheLaterBackups: syncd status on a
// restored backup said nothing of the backups taken after it, so an
// operator who restored an older one by mistake learnt it only from one
// log line at the first start. Status names how many there are and the
// newest; a backup taken of the restore itself is none of them (it holds
// nothing the restore lacks), for status nor for the first start's
// later_backups.
func TestRestoredBackupStatusNamesTheLaterBackups(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	db := filepath.Join(dir, "data", "syncd.db")
	storeOldLeads(t, dir, e2eJane, time.Now().Add(-time.Hour))
	backups := t.TempDir()
	b := func(n int) string { return filepath.Join(backups, "syncd-"+strconv.Itoa(n)+".db") }
	for n := 1; n <= 4; n++ {
		syncdOK(t, "backup", "-config", config, "-out", b(n))
	}
	restore(t, b(2), db)
	ownBackup := b(5)
	syncdOK(t, "backup", "-config", config, "-out", ownBackup) // of the restore: not a later backup
	out, errOut, code := syncdRun(t, "status", "-config", config)
	if !strings.Contains(out, "2 later backups") || !strings.Contains(out, "newest "+b(4)) ||
		strings.Contains(out, ownBackup) {
		t.Errorf("status on the restore does not name the 2 backups taken after it, newest %s (exit %d):\n%s%s", b(4), code, out, errOut)
	}
	if !strings.Contains(out, "stop syncd and restore") {
		t.Errorf("status on the restore does not say what to do if going back was not meant:\n%s", out)
	}
	d := start(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	want := `"later_backups":[` + strconv.Quote(b(3)) + `,` + strconv.Quote(b(4)) + `]`
	if log := d.log(); !strings.Contains(log, want) {
		t.Errorf("the first start on the restore does not name just the backups taken after it (%s):\n%s", want, log)
	}
}
