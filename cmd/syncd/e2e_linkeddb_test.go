package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestDatabaseMovedToAnotherDiskAndLinked: an operator whose disk filled
// moved syncd.db to a bigger disk and linked it back into data_dir, as one
// does. SQLite follows the link and keeps the -wal and -shm beside the
// file itself, where syncd did not look: serve stopped at start with "open
// db: stat …/syncd.db-wal: no such file or directory". It serves the file
// the link names. The bigger disk not mounted (the link leads nowhere),
// serve said the database was gone, to restore a backup or start -fresh
// (which would begin an empty one through the link), and the commands "no
// database"; each says what the link is and to mount the disk.
func TestDatabaseMovedToAnotherDiskAndLinked(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	data, bigger := filepath.Join(dir, "data"), filepath.Join(dir, "bigger")
	os.Mkdir(bigger, 0o700)
	moved := filepath.Join(bigger, "syncd.db")
	if err := os.Rename(filepath.Join(data, "syncd.db"), moved); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(moved, filepath.Join(data, "syncd.db")); err != nil {
		t.Fatal(err)
	}
	d = start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	out, stderr, code := syncdRun(t, "events", "list", "-config", config)
	if code != 0 || strings.Count(out, "\n") != 3 {
		t.Fatalf("events list on the linked database: exit %d\n%s%s\nwant both events", code, out, stderr)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(moved + "-wal"); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}

	// The bigger disk not mounted: the link leads nowhere.
	os.Rename(bigger, bigger+".unmounted")
	want := filepath.Join(data, "syncd.db") + " is a link to " + moved + ", which is not there: mount the disk it is on"
	if log := serveRefused(t, config); !strings.Contains(log, want) {
		t.Fatalf("serve on a link to nothing:\n%s\nwant %q", log, want)
	}
	if _, err := os.Stat(bigger); !os.IsNotExist(err) {
		t.Errorf("serve made %s through the link", bigger)
	}
	out, stderr, code = syncdRun(t, "events", "list", "-config", config)
	if code != 2 || !strings.Contains(stderr, want) { // as serve: a person mounts the disk
		t.Errorf("events list on a link to nothing: exit %d\n%s%s\nwant %q", code, out, stderr, want)
	}
}
