package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
)

// Two syncd backup runs at once (the nightly timer and an operator's
// before an upgrade) each read the list of backups made, added theirs and
// wrote it back: the one that wrote last dropped the other's, so erase and
// export no longer named that backup as holding the people they found,
// nor the purge as past the retention. Each run, in a process of its own
// (a database handle of its own here), now adds its backup to the list as
// it is then.
func TestBackupsTakenAtOnceAreAllRecorded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "syncd.db")
	const runs, each = 2, 25
	var wg sync.WaitGroup
	errs := make(chan error, runs*each)
	for r := range runs {
		db, err := sqlite.Open(ctx, path, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				out := filepath.Join(dir, fmt.Sprintf("backup-%d-%d.db", r, i))
				if err := os.WriteFile(out, nil, 0o600); err != nil {
					errs <- err
					return
				}
				errs <- recordBackup(ctx, db, out, time.Now())
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	list, err := madeBackups(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != runs*each {
		t.Fatalf("%d backups recorded of the %d taken two at a time", len(list), runs*each)
	}
}
