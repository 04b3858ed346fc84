package main_test

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestBackupUnderLoadRestores takes `syncd backup` while clients post to
// the daemon, restores it into a fresh data directory, and finds there
// every event acknowledged before the backup began, byte for byte.
func TestBackupUnderLoadRestores(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	var mu sync.Mutex
	acked := map[string][]byte{} // event id -> body
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				body := []byte(fmt.Sprintf(`{"event_type":"enquiry_created","payload":{"client":{"email":"b%d-%d@example.com"}}}`, c, i))
				if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, body); err == nil && a.Status == "accepted" {
					mu.Lock()
					acked[a.ID] = body
					mu.Unlock()
				}
			}
		}()
	}
	// Under load: at least 20 events acknowledged, and 700 ms of it (a
	// loaded machine took the 700 ms alone for 18).
	time.Sleep(700 * time.Millisecond)
	waitUntil(t, "20 events acknowledged", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(acked) >= 20
	})
	mu.Lock()
	before := maps.Clone(acked)
	mu.Unlock()
	backup := filepath.Join(dir, "backup.db")
	syncdOK(t, "backup", "-config", config, "-out", backup)
	time.Sleep(200 * time.Millisecond) // the load goes on after it
	close(stop)
	wg.Wait()
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	if len(before) < 20 {
		t.Fatalf("only %d events acknowledged before the backup: no load", len(before))
	}
	// Restore as the README says: the backup becomes a data directory's syncd.db.
	dir2 := t.TempDir()
	config2 := writeConfig(t, dir2)
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir2, "data"), 0o750)
	if err := os.WriteFile(filepath.Join(dir2, "data", "syncd.db"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, ev := range syncdJSON(t, "events", "list", "-json", "-limit", "0", "-config", config2) {
		listed[fmt.Sprint(ev["id"])] = true
	}
	restored, err := sqlite.Open(context.Background(), filepath.Join(dir2, "data", "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	for id, body := range before {
		if !listed[id] {
			t.Fatalf("acknowledged event %s is not listed by the restored syncd", id)
		}
		var n int64
		fmt.Sscan(id, &n)
		ev, err := restored.Event(context.Background(), n)
		if err != nil {
			t.Fatalf("acknowledged event %s: %v", id, err)
		}
		if !bytes.Equal(ev.Body, body) {
			t.Fatalf("event %s differs in the backup", id)
		}
	}
	t.Logf("%d events acknowledged before the backup, all in it (%d acknowledged in all)", len(before), len(acked))
}
