package sqlite_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"al.essio.dev/pkg/shellescape"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// copyFile copies from to to, mode 0600.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// A backup restored over a database whose daemon died before its last
// checkpoint, its -wal and -shm left in place: SQLite replayed the old
// database's log onto the copy as it opened it, so the restore was undone
// unseen (or the two databases mixed). Now Open refuses, naming the log and
// what to do, and leaves the copy as it was; without the log it opens the
// copy. A restore's own log (its first writer still running, or killed) is
// no foreign one.
func TestOpenRefusesAnotherDatabasesWAL(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	in, _ := startIntake(t, db, sqlite.IntakeOptions{})
	kept := storeN(t, in, "before", 2)
	dir := t.TempDir()
	restored := filepath.Join(dir, "syncd.db")
	if err := db.Backup(ctx, restored); err != nil {
		t.Fatal(err)
	}
	lost := storeN(t, in, "after", 3) // in db's -wal, no checkpoint yet: the daemon then dies
	copyFile(t, db.Path()+"-wal", restored+"-wal")
	copyFile(t, db.Path()+"-shm", restored+"-shm")
	before, _ := os.ReadFile(restored)

	for _, opts := range []sqlite.Options{{}, {ReadOnlyFallback: true}} {
		c, err := sqlite.Open(ctx, restored, opts)
		if err == nil {
			_, gone := c.Event(ctx, lost[0])
			c.Close()
			t.Fatalf("opened (%+v) with the replaced database's -wal beside it (event %d after the backup: %v)", opts, lost[0], gone)
		}
		if msg := err.Error(); !strings.Contains(msg, restored+"-wal is not the write-ahead log of "+restored) ||
			!strings.Contains(msg, "rm -f "+shellescape.Quote(restored+"-wal")+" "+shellescape.Quote(restored+"-shm")) {
			t.Errorf("refused with %q; want the file named and what to do", msg)
		}
	}
	if after, _ := os.ReadFile(restored); !bytes.Equal(before, after) {
		t.Error("the restored copy was changed by the refused open")
	}

	os.Remove(restored + "-wal")
	os.Remove(restored + "-shm")
	c, err := sqlite.Open(ctx, restored, sqlite.Options{})
	if err != nil {
		t.Fatalf("without the old -wal: %v", err)
	}
	defer c.Close()
	if _, err := c.Event(ctx, kept[1]); err != nil {
		t.Errorf("the backup's event %d: %v", kept[1], err)
	}
	if _, err := c.Event(ctx, lost[0]); err == nil {
		t.Errorf("event %d, received after the backup, is in the restore", lost[0])
	}
	if _, _, err := c.SkipLostEventIDs(ctx); err != nil {
		t.Fatal(err)
	}
	// The restore's first writer runs on (or was killed): its own -wal is beside it.
	if st, err := os.Stat(restored + "-wal"); err != nil || st.Size() == 0 {
		t.Fatalf("no -wal of the restore's first writer: %v", err)
	}
	again, err := sqlite.Open(ctx, restored, sqlite.Options{})
	if err != nil {
		t.Fatalf("a second open beside the restore's first writer: %v", err)
	}
	again.Close()
}
