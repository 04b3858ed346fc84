package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/sqlite"
)

// A daemon's syncd.db copied alone while it serves (or after it was
// killed) lacks what its -wal holds: Open refuses it, naming the -wal,
// until WALLost says the log is lost for good, which marks it as a copy
// syncd backup did not make. A command beside the running daemon leaves
// its record alone; once the daemon has stopped cleanly, syncd.db alone
// opens; syncd backup's copy never carries the record.
func TestWALLeftBehindIsRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "syncd.db")
	daemon, err := sqlite.Open(ctx, path, sqlite.Options{Daemon: true, DeferSync: true})
	if err != nil {
		t.Fatal(err)
	}
	in, stop := startIntake(t, daemon, sqlite.IntakeOptions{})
	lost := storeN(t, in, "in-the-wal", 3)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := daemon.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	command, err := sqlite.Open(ctx, path, sqlite.Options{}) // beside the daemon
	if err != nil {
		t.Fatal(err)
	}
	command.Close()
	alone := filepath.Join(t.TempDir(), "syncd.db")
	copyFile(t, path, alone)

	if err := sqlite.WALLeftBehind(backup); err != nil {
		t.Errorf("syncd backup's copy taken for a file without its -wal: %v", err)
	}
	if _, err := sqlite.Open(ctx, alone, sqlite.Options{}); !errors.Is(err, sqlite.ErrWALLeftBehind) {
		t.Fatalf("Open of syncd.db copied without the serving daemon's -wal: %v, want ErrWALLeftBehind", err)
	}
	db, err := sqlite.Open(ctx, alone, sqlite.Options{WALLost: true})
	if err != nil {
		t.Fatal(err)
	}
	if why, ok, _ := db.StateValue(ctx, sqlite.StateOlderCopy); !ok || why == "" {
		t.Error("opened with WALLost, not marked as a copy syncd backup did not make")
	}
	db.Close()
	if err := sqlite.WALLeftBehind(alone); err != nil {
		t.Errorf("still refused once opened with WALLost: %v", err)
	}

	stop()
	if err := daemon.Close(); err != nil {
		t.Fatal(err)
	}
	if err := sqlite.WALLeftBehind(path); err != nil {
		t.Errorf("refused after the daemon stopped cleanly: %v", err)
	}
	clean := filepath.Join(t.TempDir(), "syncd.db")
	copyFile(t, path, clean)
	db, err = sqlite.Open(ctx, clean, sqlite.Options{})
	if err != nil {
		t.Fatalf("syncd.db copied alone after a clean stop: %v", err)
	}
	if _, err := db.Event(ctx, lost[2]); err != nil {
		t.Errorf("event %d not in syncd.db after a clean stop: %v", lost[2], err)
	}
	db.Close()
}
