package main_test

import (
	"os"
	"strings"
	"syscall"
	"testing"
)

// TestStatusBesideTheOldWALSaysTheRestoreStep: a backup installed over
// syncd.db with the -wal of the daemon killed before its last checkpoint
// left beside it. syncd status, run before the start as the restore steps
// say, checked the file for damage with that -wal read into it, and said
// the database was damaged (a failing disk: set the files aside, restore
// a backup), though the copy is whole and only the rm of the restore steps
// was missing. It says what serve and validate say: the -wal is not that
// database's, with the rm to run (exit 5), and leaves the copy as it is.
func TestStatusBesideTheOldWALSaysTheRestoreStep(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	_, config, db, d := startWithTheLead(t, t.TempDir())
	backup := backUp(t, config)
	for range 20 { // leads after the backup, in the -wal only
		postTestdata(t, d, "lokalebasen/enquiry_created.json")
		postTestdata(t, d, "eaf/feed_import.json")
	}
	if err := d.stop(t, syscall.SIGKILL); err == nil {
		t.Fatal("the daemon was not killed")
	}
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(db, b, 0o600); err != nil { // install, the -wal and -shm left
		t.Fatal(err)
	}
	out, errOut, code := syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.Contains(out+errOut, db+"-wal is not the write-ahead log of "+db) ||
		!strings.Contains(out+errOut, "rm -f "+sq(db+"-wal")+" "+sq(db+"-shm")) || strings.Contains(out+errOut, "damaged") {
		t.Errorf("status beside the old -wal: exit %d (want 5, the -wal named with the rm, no damage)\n%s%s", code, out, errOut)
	}
	if after, _ := os.ReadFile(db); string(after) != string(b) {
		t.Error("the restored copy was changed")
	}
}
