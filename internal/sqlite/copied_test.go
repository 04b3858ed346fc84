package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"al.essio.dev/pkg/shellescape"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// copyFiles copies the database at from with its -wal and -shm, where
// they are, to the directory to, as cp -a of a data directory does.
func copyFiles(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o750); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(from + suffix)
		if errors.Is(err, os.ErrNotExist) && suffix != "" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, filepath.Base(from)+suffix), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// storeEvents stores n deliveries into db through its intake.
func storeEvents(t *testing.T, db *sqlite.DB, first, n int) {
	t.Helper()
	in, stop := startIntake(t, db, sqlite.IntakeOptions{})
	defer stop()
	for i := first; i < first+n; i++ {
		if _, err := in.Store(context.Background(), incoming(fmt.Sprintf("sha256:%d", i))); err != nil {
			t.Fatal(err)
		}
	}
}

// newestEvent is the highest event id in db.
func newestEvent(t *testing.T, db *sqlite.DB) int64 {
	t.Helper()
	var id int64
	if err := db.Reader().QueryRow(`SELECT COALESCE(MAX(id), 0) FROM events`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestCopyOfAServedDatabaseIsRefused: an operator moving syncd to another
// disk copied its data directory (cp -a) while the daemon ran. A daemon
// started on the copy served it without a word: beside the first (both
// sending the same leads to the CRM, both mailing each report), or, the
// first stopped after the copy, without the leads it stored after it,
// whose event ids went to other leads. The daemon's Open now refuses such
// a copy, saying which and the command that copies the files again, which
// works; a copy made after its daemon was killed, holding all it held,
// starts as before.
func TestCopyOfAServedDatabaseIsRefused(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	orig := filepath.Join(root, "old disk", "syncd.db") // a space: the command is quoted for the shell
	served, err := sqlite.Open(ctx, orig, sqlite.Options{Daemon: true, DeferSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer served.Close()
	storeEvents(t, served, 0, 2)
	copyDir := filepath.Join(root, "new disk")
	copyFiles(t, orig, copyDir)
	cp := filepath.Join(copyDir, "syncd.db")

	_, err = sqlite.Open(ctx, cp, sqlite.Options{Daemon: true, DeferSync: true})
	again := "rm -f " + shellescape.Quote(cp) + "* && cp -a " + shellescape.Quote(orig) + "* " + shellescape.Quote(copyDir) + "/"
	mustBeCopy(t, "beside the daemon serving the original", err, cp+" is a copy of "+orig+", taken while syncd served it (pid ",
		"a syncd daemon (pid ", "serves that database now", "systemctl stop syncd", again)
	if err := sqlite.CopiedWhileServed(cp); !errors.Is(err, sqlite.ErrCopiedWhileServed) {
		t.Errorf("CopiedWhileServed (validate): %v", err)
	}

	storeEvents(t, served, 2, 1)
	if err := served.Close(); err != nil { // a clean stop, after the copy
		t.Fatal(err)
	}
	_, err = sqlite.Open(ctx, cp, sqlite.Options{Daemon: true, DeferSync: true})
	mustBeCopy(t, "the original stopped after the copy", err, "that database changed since (it holds events up to id 3, "+
		"this copy up to 2)", again, "mv "+shellescape.Quote(orig)+" "+shellescape.Quote(orig+".left"))

	cmd := regexp.MustCompile(`rm -f .*/$`).FindString(strings.Split(err.Error(), "; or,")[0])
	if out, err := exec.Command("sh", "-c", cmd).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v: %s", cmd, err, out)
	}
	db, err := sqlite.Open(ctx, cp, sqlite.Options{Daemon: true, DeferSync: true})
	if err != nil {
		t.Fatalf("after %s: %v", cmd, err)
	}
	if n := newestEvent(t, db); n != 3 {
		t.Errorf("after copying again: events up to %d, want 3", n)
	}
	db.Close()
}

// TestCopyMadeAfterItsDaemonWasKilledStarts: the daemon killed (its
// files as it left them: the mark, the -wal), then its data directory
// copied whole, as the README's moving steps after a crash say: the copy
// holds all the original holds, and a daemon starts on it.
func TestCopyMadeAfterItsDaemonWasKilledStarts(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	orig := filepath.Join(root, "old", "syncd.db")
	served, err := sqlite.Open(ctx, orig, sqlite.Options{Daemon: true, DeferSync: true})
	if err != nil {
		t.Fatal(err)
	}
	storeEvents(t, served, 0, 2)
	killed := filepath.Join(root, "killed")
	copyFiles(t, orig, killed) // the files as a kill leaves them
	served.Close()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(orig + suffix)
	}
	copyFiles(t, filepath.Join(killed, "syncd.db"), filepath.Dir(orig))
	copyFiles(t, orig, filepath.Join(root, "new"))

	db, err := sqlite.Open(ctx, filepath.Join(root, "new", "syncd.db"), sqlite.Options{Daemon: true, DeferSync: true})
	if err != nil {
		t.Fatalf("a copy of a killed daemon's files, whole: %v", err)
	}
	defer db.Close()
	if n := newestEvent(t, db); n != 2 {
		t.Errorf("events up to %d, want 2", n)
	}
}

func mustBeCopy(t *testing.T, what string, err error, words ...string) {
	t.Helper()
	if !errors.Is(err, sqlite.ErrCopiedWhileServed) {
		t.Fatalf("%s: %v, want ErrCopiedWhileServed", what, err)
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: %v\nlacks %q", what, err, w)
		}
	}
}
