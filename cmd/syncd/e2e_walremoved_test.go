package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestWALRemovedUnderTheDaemon: the database's -wal file deleted under a
// running daemon (an operator cleaning up "stale" files, a script that
// copies the database and removes the rest). SQLite goes on writing into
// the unlinked file, where every commit since the last checkpoint is held
// and nowhere else: a daemon killed then (the watchdog, a crash, a power
// cut) lost every lead answered 200 since. Every delivery answered 200 must
// be in the database after a kill, later ones answered 503, and the log
// and status must say what happened and what to do.
func TestWALRemovedUnderTheDaemon(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	path := filepath.Join(dir, "data", "syncd.db")
	l := startLoad(t, d.url, 4, 200)
	waitUntil(t, "100 events acknowledged", func() bool { return l.count() >= 100 })
	if err := os.Remove(path + "-wal"); err != nil {
		t.Fatal(err)
	}
	removedAt := l.count()
	waitUntil(t, "deliveries refused", func() bool { return l.refused.Load() >= 100 })
	acked := l.finish()
	if l.badCodes.Load() > 0 {
		t.Errorf("%d answers neither 200 nor 503 with Retry-After", l.badCodes.Load())
	}
	if status(t, d.url+"/readyz") != 503 {
		t.Error("/readyz still 200")
	}
	t.Logf("%d acknowledged before the -wal was removed, %d after", removedAt, len(acked)-removedAt)
	logged := d.log()
	d.cmd.Process.Kill() // as the watchdog, a crash or a power cut would
	<-d.done
	if !strings.Contains(logged, "syncd.db-wal was removed or replaced") {
		t.Errorf("the log does not name the removed -wal file:\n%s", logged)
	}
	stored := storedKeys(t, path)
	lost := 0
	for _, n := range acked {
		if !stored[n] {
			lost++
		}
	}
	if lost > 0 {
		t.Fatalf("%d of %d events answered 200 are not in the database after the daemon was killed", lost, len(acked))
	}
	// Restarted (as the watchdog does), it serves the database again.
	d = start(t, config)
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(`{"event_type":"enquiry_created","n":"after"}`)); err != nil || a.Code != 200 {
		t.Fatalf("a delivery after the restart: %+v %v", a, err)
	}
	d.stop(t, syscall.SIGTERM)
	if n := len(syncdJSON(t, "events", "list", "-json", "-limit", "0", "-config", config)); n < len(acked)+1 {
		t.Fatalf("%d events after the restart, want at least %d", n, len(acked)+1)
	}
}
