package main

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"
)

// TestServingRecordIsWhereStatusLooks: the daemon's record is written
// whole into its data directory, readable by the users status is run as
// (the daemon's umask 0027 aside), read back as written, and removed at
// its stop only if it is still its own (pid); status looks for the record
// of a daemon started on /etc/syncd/NAME.yaml in syncd@NAME's state
// directory, then syncd.service's.
func TestServingRecordIsWhereStatusLooks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := servingRecord{Config: "/etc/syncd/acme.yaml", Listen: "127.0.0.1:43001", DataDir: dir,
		Database: filepath.Join(dir, "syncd.db"), WorkDir: "/etc/syncd", PID: 4242, Started: time.Unix(1700000000, 0).UTC(),
		Command: []string{"/usr/bin/syncd", "serve", "-config", "/etc/syncd/acme.yaml"}}
	if err := writeServing(r); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, servingName))
	if err != nil || st.Mode().Perm() != 0o644 {
		t.Fatalf("record: %v, mode %v, want 0644", err, st)
	}
	got, err := readServing(dir)
	if got.path = ""; err != nil || !reflect.DeepEqual(got, r) {
		t.Fatalf("read back %+v, %v; want %+v", got, err, r)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the write left %d files, want the record alone", len(entries))
	}
	removeServing(dir, 1) // another daemon's pid: not its record
	if _, err := readServing(dir); err != nil {
		t.Errorf("the record removed by a daemon it is not of: %v", err)
	}
	removeServing(dir, r.PID)
	if _, err := readServing(dir); !os.IsNotExist(err) {
		t.Errorf("the record left at its daemon's stop: %v", err)
	}
	want := []string{"/var/lib/syncd/acme", "/var/lib/syncd"}
	if got := stateDirsOf("/etc/syncd/acme.yaml"); !slices.Equal(got, want) {
		t.Errorf("state directories of /etc/syncd/acme.yaml: %v, want %v", got, want)
	}
}
