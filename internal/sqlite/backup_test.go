package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

func TestBackupUnderLoadHasEveryAcknowledgedEvent(t *testing.T) {
	underUmask(t, 0o022)
	ctx := context.Background()
	db := openTest(t)
	in, _ := startIntake(t, db, sqlite.IntakeOptions{MaxBatch: 8})
	var (
		mu    sync.Mutex
		acked = map[int64]string{}
		stop  = make(chan struct{})
		wg    sync.WaitGroup
	)
	for c := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				key := fmt.Sprintf("sha256:%d-%d", c, i)
				r, err := in.Store(ctx, incoming(key))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				acked[r.ID] = key
				mu.Unlock()
			}
		}()
	}
	time.Sleep(200 * time.Millisecond)
	mu.Lock()
	before := make(map[int64]string, len(acked))
	for id, k := range acked {
		before[id] = k
	}
	mu.Unlock()
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // the load goes on after the backup
	close(stop)
	wg.Wait()

	if m := mode(t, out); m != 0o600 {
		t.Errorf("backup mode %o, want 600", m)
	}
	restored, err := sqlite.Open(ctx, out, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	evs, err := restored.Events(ctx, sqlite.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]string{}
	for _, ev := range evs {
		got[ev.ID] = ev.Key
	}
	if len(before) < 10 {
		t.Fatalf("only %d events acknowledged before the backup: no load", len(before))
	}
	for id, key := range before {
		if got[id] != key {
			t.Errorf("acknowledged event %d (%s) missing from the backup", id, key)
		}
	}
	t.Logf("%d events acknowledged before the backup, %d in it, %d in all", len(before), len(evs), len(acked))
}

// TestBackupIntoMissingDirectorySaysWhere: the error names the directory
// the operator gave, not the temporary file made inside it, and is bad
// input (EInvalid: exit 2, as report -out's), with what to do.
func TestBackupIntoMissingDirectorySaysWhere(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := filepath.Join(t.TempDir(), "no-such-dir")
	err = db.Backup(context.Background(), filepath.Join(dir, "backup.db"))
	if err == nil || !strings.Contains(err.Error(), "the directory "+dir+" does not exist: create it first") ||
		strings.Contains(err.Error(), ".tmp") || syncd.ErrorCode(err) != syncd.EInvalid {
		t.Fatalf("Backup into a missing directory: %v", err)
	}
}
