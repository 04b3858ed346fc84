package main_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
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

// TestBackupCopiedOverTheRunningDatabase: a backup copied over the
// database of a running daemon (cp writes the file in place: the same
// inode, so the check that the file is still the one open passed). The
// daemon went on answering 200, and at its stop checkpointed its WAL into
// the copy: the restore undone without a word, or on a larger database
// the two mixed. It must refuse from then on, say so, leave the copy as it
// was, and its next start must refuse the WAL beside it, saying what to do.
func TestBackupCopiedOverTheRunningDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	path, backup := filepath.Join(dir, "data", "syncd.db"), filepath.Join(dir, "backup.db")
	lead := func(n string) int {
		t.Helper()
		a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(`{"event_type":"enquiry_created","n":"`+n+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		return a.Code
	}
	for _, n := range []string{"a1", "a2"} {
		if c := lead(n); c != 200 {
			t.Fatalf("lead %s answered %d", n, c)
		}
	}
	if out, err := syncdCmd("backup", "-out", backup, "-config", config).CombinedOutput(); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if c := lead("b1"); c != 200 {
		t.Fatalf("lead b1 answered %d", c)
	}
	copied, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, copied, 0o600); err != nil { // as cp does: in place
		t.Fatal(err)
	}
	if c := lead("c1"); c != 503 {
		t.Errorf("a lead after the copy answered %d, want 503", c)
	}
	if status(t, d.url+"/readyz") != 503 {
		t.Error("/readyz still 200")
	}
	d.stop(t, syscall.SIGTERM)
	if !strings.Contains(d.log(), "syncd.db was overwritten while open") {
		t.Errorf("the log does not say the file was overwritten:\n%s", d.log())
	}
	// Read alone: SQLite opening syncd.db would take in the -wal beside it.
	alone := filepath.Join(t.TempDir(), "syncd.db")
	if b, err := os.ReadFile(path); err != nil || os.WriteFile(alone, b, 0o600) != nil {
		t.Fatal("cannot copy the database file aside")
	}
	stored := storedKeys(t, alone)
	if len(stored) != 2 || !stored["a1"] || !stored["a2"] {
		t.Errorf("the copied backup holds %v after the daemon stopped, want a1 and a2 as copied", stored)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // were it to serve
	defer cancel()
	out, err := syncdCmdContext(ctx, "serve", "-config", config).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "syncd.db-wal is not the write-ahead log") {
		t.Errorf("the start after: %v\n%s", err, out)
	}
}
