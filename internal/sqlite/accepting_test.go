package sqlite

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAcceptKilledAtAnyStepIsAcceptedOrRefused: syncd accept-restore (and
// serve -wal-lost) takes a file copied without its daemon's -wal for a
// restored backup by writing a mark into the -wal SQLite makes as it opens
// the file. Killed after the -wal was made and before the mark was in it,
// it left the daemon's serving record with a -wal beside it: the next
// start took the file for a crashed daemon's, not a restore, and
// accept-restore run again found nothing to accept. A copy of the files
// at each step, as a kill there leaves them, is now either refused as
// interrupted (and accepted by a second run) or accepted.
func TestAcceptKilledAtAnyStepIsAcceptedOrRefused(t *testing.T) {
	ctx := context.Background()
	restored := servedAlone(t)
	for _, daemon := range []bool{false, true} { // accept-restore; serve -wal-lost
		dir := t.TempDir()
		path := filepath.Join(dir, "syncd.db")
		copyDir(t, filepath.Dir(restored), dir)
		var steps []string
		snaps := map[string]string{}
		take := func(step string) {
			snap := t.TempDir()
			copyDir(t, dir, snap)
			steps, snaps[step] = append(steps, step), filepath.Join(snap, "syncd.db")
		}
		db, err := Open(ctx, path, Options{WALLost: true, Daemon: daemon, DeferSync: daemon, step: take})
		if err != nil {
			t.Fatal(err)
		}
		take("open")
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		take("closed")
		if got, want := strings.Join(steps, " "), "begun opened marked accepted open cleared closed"; got != want {
			t.Errorf("steps %q, want %q", got, want)
		}
		for _, step := range steps {
			// Before its mark is durable and its own removed, a second
			// run finishes it; after, the file is accepted.
			interrupted := step == "begun" || step == "opened" || step == "marked"
			if refused := killedAt(t, daemon, step, snaps[step]); refused != interrupted {
				t.Errorf("killed at %s: refused as interrupted %v, want %v", step, refused, interrupted)
			}
		}
	}
}

// killedAt checks that the files at path, as a kill at step left them,
// are accepted as a restored backup, or refused until accepted again
// (refused).
func killedAt(t *testing.T, daemon bool, step, path string) (refused bool) {
	t.Helper()
	ctx := context.Background()
	what := "accept-restore killed at " + step
	if daemon {
		what = "serve -wal-lost killed at " + step
	}
	left := WALLeftBehind(path)
	if left != nil {
		if !errors.Is(left, ErrWALLeftBehind) || !errors.Is(left, ErrAcceptInterrupted) {
			t.Errorf("%s: refused, but not as interrupted: %v", what, left)
		}
		if db, err := Open(ctx, path, Options{}); err == nil {
			db.Close()
			t.Errorf("%s: WALLeftBehind refuses it, Open does not", what)
			return true
		}
		db, err := Open(ctx, path, Options{WALLost: true}) // accept-restore run again
		if err != nil {
			t.Errorf("%s: accepted again: %v", what, err)
			return true
		}
		if err := db.Close(); err != nil {
			t.Errorf("%s: accepted again: %v", what, err)
		}
	}
	if err := WALLeftBehind(path); err != nil {
		t.Errorf("%s: still refused once accepted again: %v", what, err)
		return left != nil
	}
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Errorf("%s: the next start: %v", what, err)
		return left != nil
	}
	defer db.Close()
	if _, ok, _ := db.StateValue(ctx, StateOlderCopy); !ok {
		t.Errorf("%s: the next start takes it for a crashed daemon's file, not a restored backup (no %s mark)",
			what, StateOlderCopy)
	}
	return left != nil
}

// servedAlone is a database file a daemon serves, copied alone (no -wal),
// with its data directory's marker, as a Litestream restore puts it back.
func servedAlone(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "syncd.db")
	daemon, err := Open(ctx, path, Options{Daemon: true, DeferSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer daemon.Close()
	if err := daemon.SetStateValue(ctx, "test", "in the -wal only"); err != nil {
		t.Fatal(err)
	}
	alone := filepath.Join(t.TempDir(), "syncd.db")
	copyDir(t, filepath.Dir(path), filepath.Dir(alone))
	for _, f := range []string{"-wal", "-shm"} {
		os.Remove(alone + f)
	}
	if err := WALLeftBehind(alone); !errors.Is(err, ErrWALLeftBehind) {
		t.Fatalf("the served file copied alone: %v, want ErrWALLeftBehind", err)
	}
	return alone
}

// copyDir copies every file of the directory from into the directory to.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, FileMode); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAcceptBesideAnotherFilesMarkSaysSo: a backup restored over a file
// whose accept was stopped, its syncd.db-accepting left beside it, is
// refused as interrupted; accept-restore then says the mark is not of
// this file and to remove it, where it said only that a state was missing.
func TestAcceptBesideAnotherFilesMarkSaysSo(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "syncd.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.WriteFile(acceptingPath(path), []byte("begun at 2026-12-02T15:14:00Z by pid 1 on host\n"), FileMode); err != nil {
		t.Fatal(err)
	}
	if err := WALLeftBehind(path); !errors.Is(err, ErrAcceptInterrupted) {
		t.Fatalf("beside a mark: %v, want ErrAcceptInterrupted", err)
	}
	_, err = Open(ctx, path, Options{WALLost: true})
	if err == nil || !strings.Contains(err.Error(), "it is not the file syncd accept-restore began on") ||
		!strings.Contains(err.Error(), "remove "+acceptingPath(path)) {
		t.Fatalf("accept-restore beside another file's mark: %v, want the mark named for removal", err)
	}
}
