package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestTrimDropsOnlyOldIdentifiers: past retention.erasure_days the
// erasure log keeps each entry without its keyed hashes; a newer entry and
// the salt stay as they were. A restore that holds a forgotten erasure
// cannot make it again: it is not among those made again (nothing would
// match it, and status would say UNDONE for ever), but named apart.
func TestTrimDropsOnlyOldIdentifiers(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), erasureLogName)
	taken := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	old := erasureEntry{At: taken.Add(24 * time.Hour), Email: []string{"e1"}, Phone: []string{"p1"}, First: taken.Add(-time.Hour)}
	recent := erasureEntry{At: taken.Add(60 * 24 * time.Hour), Email: []string{"e2"}, First: taken.Add(-time.Hour)}
	salt, err := newErasureLog(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []erasureEntry{old, recent} {
		if err := appendErasure(path, e); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := trimErasureLog(path, taken.Add(30*24*time.Hour)); err != nil || n != 1 {
		t.Fatalf("trim: %d, %v; want the old entry's identifiers dropped", n, err)
	}
	got, entries, err := readErasureLog(path)
	if err != nil || got != salt || len(entries) != 2 {
		t.Fatalf("after the trim: salt %q (want %q), %d entries, %v", got, salt, len(entries), err)
	}
	if e := entries[0]; !e.forgotten() || !e.At.Equal(old.At) || !e.First.Equal(old.First) {
		t.Errorf("the old entry after the trim: %+v; want its times without identifiers", e)
	}
	if e := entries[1]; len(e.Email) != 1 || e.Email[0] != "e2" {
		t.Errorf("the recent entry after the trim: %+v; want it as it was", e)
	}
	if n, err := trimErasureLog(path, taken.Add(30*24*time.Hour)); err != nil || n != 0 {
		t.Errorf("trim again: %d, %v; want nothing", n, err)
	}
	if n, err := trimErasureLog(filepath.Join(t.TempDir(), erasureLogName), taken); err != nil || n != 0 {
		t.Errorf("trim of no log: %d, %v", n, err)
	}
	undone := undoneErasures(entries, taken, time.Time{}, time.Time{}, true)
	if len(undone) != 1 || !undone[0].At.Equal(recent.At) {
		t.Errorf("undone on a restore of a backup taken before both: %+v; want the recent one only", undone)
	}
	if f := forgottenErasures(entries, taken, time.Time{}); len(f) != 1 || !f[0].At.Equal(old.At) {
		t.Errorf("forgotten on that restore: %+v; want the old one", f)
	}
}

// TestAppendDuringATrimGoesIntoTheNewLog: an erase appending while a trim
// rewrites the log opened the file the trim then renamed over; its entry
// went into the old file, unlinked, and was lost. The append now waits for
// the log's lock and, the file replaced, appends to the new one.
func TestAppendDuringATrimGoesIntoTheNewLog(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), erasureLogName)
	if _, err := newErasureLog(path); err != nil {
		t.Fatal(err)
	}
	held, err := lockErasureLog(path, os.O_RDONLY) // as a trim holds it
	if err != nil {
		t.Fatal(err)
	}
	st, _ := held.Stat()
	appended := make(chan error, 1)
	go func() { appended <- appendErasure(path, erasureEntry{At: time.Now(), Email: []string{"e"}}) }()
	waiting := fmt.Sprintf(":%d ", st.Sys().(*syscall.Stat_t).Ino)
	deadline := time.Now().Add(10 * time.Second)
	for !lockWaited(t, waiting) {
		if time.Now().After(deadline) {
			t.Fatal("the append never waited for the log's lock")
		}
		time.Sleep(5 * time.Millisecond) // polling /proc/locks for the waiter
	}
	b, _ := os.ReadFile(path)
	if err := os.WriteFile(path+".trim", b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(path+".trim", path); err != nil { // the trim's new file in place
		t.Fatal(err)
	}
	held.Close()
	if err := <-appended; err != nil {
		t.Fatal(err)
	}
	if _, entries, err := readErasureLog(path); err != nil || len(entries) != 1 {
		t.Errorf("the log after an append during a trim: %d entries, %v; want the append's", len(entries), err)
	}
}

// lockWaited says whether /proc/locks shows a process waiting for a lock
// on the file whose inode part is ino (":INODE ").
func lockWaited(t *testing.T, ino string) bool {
	b, err := os.ReadFile("/proc/locks")
	if err != nil {
		t.Skipf("no /proc/locks: %v", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, "->") && strings.Contains(l, ino) {
			return true
		}
	}
	return false
}

// TestAppendAfterACutLineIsKept: an append cut short (a crash, a full
// disk) leaves the log's last line unended; the next erase's entry was
// written onto it, one line that does not read, and that erasure was
// lost with no word: a restore would bring its person back silently. The
// next append now ends the cut line first.
func TestAppendAfterACutLineIsKept(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), erasureLogName)
	if _, err := newErasureLog(path); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	if err := appendErasure(path, erasureEntry{At: at, Email: []string{"e1"}}); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(`{"at":"2026-11-30T11:00:00Z","email":["e`); err != nil { // cut here
		t.Fatal(err)
	}
	f.Close()
	next := erasureEntry{At: at.Add(2 * time.Hour), Phone: []string{"p2"}}
	if err := appendErasure(path, next); err != nil {
		t.Fatal(err)
	}
	_, entries, err := readErasureLog(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || !entries[1].At.Equal(next.At) || !entries[1].sameSubject(next) {
		t.Errorf("after an append onto a cut line the log reads %+v; want the first entry and the next one", entries)
	}
}
