package main_test

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"syscall"
	"testing"
)

// TestOldWALRmPastesInAnyDirectory: a backup put back over syncd.db with
// the killed daemon's -wal and -shm left beside it is refused, naming the
// rm -f that removes them. The rm named the two files bare, so in a data
// directory such as "Søren's syncd (test)/data" the command pasted into a
// shell did not run (an apostrophe left open), and with a space alone it
// removed other files than the two. The files are quoted for the shell
// now: the rm as printed removes them, and serve then starts on the
// restore.
func TestOldWALRmPastesInAnyDirectory(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	_, config, db, d := startWithTheLead(t, oddDir(t))
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
	_, errOut, code := syncdRun(t, "validate", "-config", config, "-offline")
	m := regexp.MustCompile(`\((rm -f .*?)\), then start syncd again`).FindStringSubmatch(errOut)
	if code != 2 || m == nil {
		t.Fatalf("validate beside the old -wal: exit %d, want 2 and the rm to run\n%s", code, errOut)
	}
	if got, want := pasted(t, m[1]), []string{"rm", "-f", db + "-wal", db + "-shm"}; !slices.Equal(got, want) {
		t.Fatalf("validate's %s, pasted into sh, runs %q, want %q", m[1], got, want)
	}
	if out, err := exec.Command("sh", "-c", m[1]).CombinedOutput(); err != nil {
		t.Fatalf("validate's %s, run by sh: %v\n%s", m[1], err, out)
	}
	for _, f := range []string{db + "-wal", db + "-shm"} {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("validate's %s left %s: %v", m[1], f, err)
		}
	}
	start(t, config).stop(t, syscall.SIGTERM)
}
