package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestCommandOnACopyMadeWhileServedLeavesItRefused: a data directory
// copied (cp -a) while its daemon served it, then looked at with a
// command (syncd events list, status, with SYNCD_DATA_DIR at the copy):
// the command, taking the daemon's mark for one a crash left, deleted it
// as it closed, and a daemon then started on the copy beside the one
// serving the original, without a word. The command now leaves the mark
// (and the -wal, so that the copy is not taken for one moved without it),
// and the daemon's start on the copy is refused as before it. A copy made
// after its daemon was killed still starts after a command.
func TestCommandOnACopyMadeWhileServedLeavesItRefused(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	orig := filepath.Join(root, "old", "syncd.db")
	served, err := sqlite.Open(ctx, orig, sqlite.Options{Daemon: true, DeferSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer served.Close()
	storeEvents(t, served, 0, 2)
	cp := filepath.Join(root, "new", "syncd.db")
	copyFiles(t, orig, filepath.Dir(cp))
	command(t, cp)
	_, err = sqlite.Open(ctx, cp, sqlite.Options{Daemon: true, DeferSync: true})
	mustBeCopy(t, "after a command on the copy", err, cp+" is a copy of "+orig, "serves that database now")

	killed := filepath.Join(root, "killed", "syncd.db")
	copyFiles(t, orig, filepath.Dir(killed)) // the files as a kill leaves them
	served.Close()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(orig + suffix)
	}
	copyFiles(t, killed, filepath.Dir(orig))
	after := filepath.Join(root, "after", "syncd.db")
	copyFiles(t, orig, filepath.Dir(after))
	command(t, after)
	db, err := sqlite.Open(ctx, after, sqlite.Options{Daemon: true, DeferSync: true})
	if err != nil {
		t.Fatalf("a copy of a killed daemon's files after a command: %v", err)
	}
	defer db.Close()
	if n := newestEvent(t, db); n != 2 {
		t.Errorf("events up to %d, want 2", n)
	}
}

// command opens the database at path as a command does, reads it and
// closes it.
func command(t *testing.T, path string) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{})
	if err != nil {
		t.Fatalf("command on %s: %v", path, err)
	}
	newestEvent(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}
