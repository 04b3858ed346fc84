package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestRestoringABackupAgainGivesNoIDAgain: a backup restored, served a
// while, then restored again at the same place the same day skipped the
// same ids as the first time, the backup alone saying how many to skip
// (a million a day it is older): the events and bodies the first restore
// received got their ids again. The restores at a place are recorded
// beside the database, and the next one skips past what the one before
// may have given since (a million a day, as for the backup).
func TestRestoringABackupAgainGivesNoIDAgain(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	in, _ := startIntake(t, db, sqlite.IntakeOptions{})
	storeN(t, in, "before", 2)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	place := filepath.Join(t.TempDir(), "syncd.db")
	restoreAt := func(at time.Time) *sqlite.DB {
		t.Helper()
		b, err := os.ReadFile(backup)
		if err == nil {
			os.Remove(place + "-wal")
			os.Remove(place + "-shm")
			err = os.WriteFile(place, b, 0o600)
		}
		if err != nil {
			t.Fatal(err)
		}
		c, err := sqlite.Open(ctx, place, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		c.Now = func() time.Time { return at }
		if _, _, err := c.SkipLostEventIDs(ctx); err != nil {
			t.Fatal(err)
		}
		return c
	}
	now := time.Now()
	c := restoreAt(now.Add(time.Hour))
	cin, stop := startIntake(t, c, sqlite.IntakeOptions{})
	given := storeN(t, cin, "first", 3)
	q, err := cin.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Body: []byte("{nope"),
		Quarantine: true, Reason: "invalid JSON"})
	if err != nil {
		t.Fatal(err)
	}
	stop()
	c.Close()

	c = restoreAt(now.Add(3 * time.Hour))
	defer c.Close()
	first, last, err := c.SkipLostEventIDs(ctx)
	if err != nil || last <= given[len(given)-1] || first != 3 {
		t.Fatalf("the second restore skipped %d to %d (%v); want 3 to past %d, the ids the first restore gave", first, last, err, given)
	}
	cin, _ = startIntake(t, c, sqlite.IntakeOptions{})
	again, err := cin.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Body: []byte("{nope again"),
		Quarantine: true, Reason: "invalid JSON"})
	if err != nil || again.ID <= q.ID {
		t.Fatalf("a body quarantined after the second restore got id %d (%v), given by the first to %d", again.ID, err, q.ID)
	}
}
