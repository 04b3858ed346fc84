package sqlite_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestLostDatabaseFileStopsAcknowledging: once the database file is
// removed or renamed under the intake, nothing more is acknowledged, the
// store is not ready, and the loss is reported once.
func TestLostDatabaseFileStopsAcknowledging(t *testing.T) {
	for name, lose := range map[string]func(path string) error{
		"removed": os.Remove,
		"renamed": func(path string) error { return os.Rename(path, path+".old") },
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db := openTest(t)
			var lost atomic.Int32
			db.OnLost = func(error) { lost.Add(1) }
			in, _ := startIntake(t, db, sqlite.IntakeOptions{})
			if _, err := in.Store(ctx, incoming("sha256:before")); err != nil {
				t.Fatal(err)
			}
			if err := in.Ready(ctx); err != nil {
				t.Fatalf("ready before: %v", err)
			}
			if err := lose(db.Path()); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 5; i++ {
				_, err := in.Store(ctx, incoming("sha256:after"+string(rune('a'+i))))
				if syncd.ErrorCode(err) != syncd.EUnavailable {
					t.Fatalf("delivery %d after the file was %s: %v", i, name, err)
				}
			}
			if err := in.Ready(ctx); err == nil {
				t.Error("ready although the database file is gone")
			}
			if err := db.Ping(ctx); err == nil {
				t.Error("ping succeeds although the database file is gone")
			}
			if n := lost.Load(); n != 1 {
				t.Errorf("OnLost called %d times, want once", n)
			}
		})
	}
}

// TestStartRefusesWhereTheDatabaseWasLost: a data directory that held a
// database, without it, is not silently started over; -fresh does.
func TestStartRefusesWhereTheDatabaseWasLost(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "syncd.db")
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	if _, err := sqlite.Open(ctx, path, sqlite.Options{}); !errors.Is(err, sqlite.ErrDatabaseMissing) {
		t.Fatalf("open over a lost database: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("the refused open created a database")
	}
	db, err = sqlite.Open(ctx, path, sqlite.Options{Fresh: true})
	if err != nil {
		t.Fatalf("open -fresh: %v", err)
	}
	db.Close()
	db, err = sqlite.Open(ctx, path, sqlite.Options{}) // and it is the database from now on
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}

// TestReadinessFollowsCommits: while another process holds the write lock
// past the busy timeout, commits fail and the store is not ready; once a
// commit succeeds again, it is.
func TestReadinessFollowsCommits(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "syncd.db")
	db, err := sqlite.Open(ctx, path, sqlite.Options{BusyTimeout: 50e6})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	in, _ := startIntake(t, db, sqlite.IntakeOptions{})
	other := holdWriteLock(t, path)
	if _, err := in.Store(ctx, incoming("sha256:locked")); err == nil {
		t.Fatal("stored although the lock is held")
	}
	if err := in.Ready(ctx); err == nil {
		t.Fatal("ready right after a failed commit")
	}
	other()
	if _, err := in.Store(ctx, incoming("sha256:free")); err != nil {
		t.Fatal(err)
	}
	if err := in.Ready(ctx); err != nil {
		t.Fatalf("not ready after a good commit: %v", err)
	}
}
