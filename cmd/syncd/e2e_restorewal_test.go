package main_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRestoreBesideTheOldWALRefused: the daemon killed before its last
// checkpoint (a crash, the disk failing), its -wal holding the leads
// received after the backup; the operator installs the backup over
// syncd.db but leaves the old -wal and -shm. SQLite replayed the old log
// onto the copy: serve started on the old database (or a mix of the two),
// logged no restore, and the copy was overwritten at the first checkpoint.
// Now validate and serve refuse (exit 1; serve 2), naming the log and the rm to run,
// and the copy is left as it was; once the files are gone serve starts on
// the restore.
func TestRestoreBesideTheOldWALRefused(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	_, config, db, d := startWithTheLead(t, t.TempDir())
	backup := backUp(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json") // after the backup: in the -wal yet
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
	want := db + "-wal is not the write-ahead log of " + db
	if _, errOut, code := syncdRun(t, "validate", "-config", config, "-offline"); code != 2 || !strings.Contains(errOut, want) {
		t.Errorf("validate beside the old -wal: exit %d\n%s", code, errOut)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := syncdCmdContext(ctx, "serve", "-config", config).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), want) ||
		!strings.Contains(string(out), inJSON("rm -f "+sq(db+"-wal")+" "+sq(db+"-shm"))) {
		t.Fatalf("serve beside the old -wal: %v (want exit 2, the file named and the rm)\n%s", err, out)
	}
	if after, _ := os.ReadFile(db); string(after) != string(b) {
		t.Error("the restored copy was changed")
	}

	os.Remove(db + "-wal")
	os.Remove(db + "-shm")
	d = start(t, config)
	if !strings.Contains(d.log(), "database restored from a backup") {
		t.Errorf("the start on the restore does not say so:\n%s", d.log())
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}
