package main_test

import (
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRestoreRecordsTheBackupsTakenAfterIt: a restored backup did not
// record the backups syncd backup made after it was taken (the database
// it was taken of recorded them, after the copy), nor itself: erase and
// export of a person it holds named only the older ones as still holding
// her, and the purge never named the later ones once past the retention.
// The first writer on the restore records those beside the backups it
// records, taken from its own time on, and the first start names those
// taken after it (later_backups): they hold leads it lacks.
func TestRestoreRecordsTheBackupsTakenAfterIt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	db := filepath.Join(dir, "data", "syncd.db")
	storeOldLeads(t, dir, e2eJane, time.Now().Add(-time.Hour))
	backups := t.TempDir()
	older, restored, later := filepath.Join(backups, "syncd-1.db"), filepath.Join(backups, "syncd-2.db"), filepath.Join(backups, "syncd-3.db")
	for _, b := range []string{older, restored, later} {
		syncdOK(t, "backup", "-config", config, "-out", b)
	}
	restore(t, restored, db)
	stdout, stderr, code := syncdRun(t, "erase", "-config", config, "-email", e2eJane.email)
	if code != 0 && code != 5 {
		t.Fatalf("erase: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, b := range []string{older, restored, later} {
		if !strings.Contains(stdout+stderr, "backup: "+b+" taken at") {
			t.Errorf("erase on the restore does not name %s as holding her:\n%s%s", b, stdout, stderr)
		}
	}
	d := start(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if log := d.log(); !strings.Contains(log, `"later_backups":[`+strconv.Quote(later)+`]`) {
		t.Errorf("the first start on the restore does not name the backup taken after it:\n%s", log)
	}
}

// TestRestoreFindsTheLaterBackupsWrittenElsewhere: a backup written with
// syncd backup -out to a directory the restored backup records no backup
// in was not found, though a later backup found where the others are
// records it (the database they were taken of recorded it before). The
// restore now looks in the directories of the backups those it finds
// record, and so finds the later ones there too.
func TestRestoreFindsTheLaterBackupsWrittenElsewhere(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	db := filepath.Join(dir, "data", "syncd.db")
	storeOldLeads(t, dir, e2eJane, time.Now().Add(-time.Hour))
	nightly, elsewhere := t.TempDir(), t.TempDir()
	older, restored := filepath.Join(nightly, "syncd-1.db"), filepath.Join(nightly, "syncd-2.db")
	beforeUpgrade, later, lastOfAll := filepath.Join(elsewhere, "before-upgrade.db"), filepath.Join(nightly, "syncd-3.db"),
		filepath.Join(elsewhere, "before-move.db")
	for _, b := range []string{older, restored, beforeUpgrade, later, lastOfAll} {
		syncdOK(t, "backup", "-config", config, "-out", b)
	}
	restore(t, restored, db)
	d := start(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	want := `"later_backups":[` + strconv.Quote(beforeUpgrade) + `,` + strconv.Quote(later) + `,` + strconv.Quote(lastOfAll) + `]`
	if log := d.log(); !strings.Contains(log, want) {
		t.Errorf("the first start on the restore does not name the backups taken after it, those written elsewhere too (%s):\n%s", want, log)
	}
}
