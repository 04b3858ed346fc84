package main_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestValidateOfflineReadsSQLiteAndWritesNothing: validate -offline's -h
// said only "do not connect to a PostgreSQL store", while on SQLite it
// still reads the database file and prints its line (the schema, when
// older): an operator could not tell from -h whether the database was
// opened. -h says now that an SQLite database is read, never written, and
// validate -offline leaves the data directory as it was: the database's
// bytes and time, and no -wal or -shm made beside it.
func TestValidateOfflineReadsSQLiteAndWritesNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	makeDB(t, dir)
	data := filepath.Join(dir, "data")
	db := filepath.Join(data, "syncd.db")
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(db, old, old); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	names := func() []string {
		es, err := os.ReadDir(data)
		if err != nil {
			t.Fatal(err)
		}
		var ns []string
		for _, e := range es {
			ns = append(ns, e.Name())
		}
		return ns
	}
	listed := names()

	out, stderr, code := syncdRun(t, "validate", "-offline", "-config", config)
	if code != 0 {
		t.Fatalf("validate -offline: exit %d\n%s%s", code, out, stderr)
	}
	mustContain(t, "validate -offline", out, "database: "+db)
	after, err := os.ReadFile(db)
	st, serr := os.Stat(db)
	if err != nil || serr != nil || !bytes.Equal(before, after) || !st.ModTime().Equal(old) {
		t.Errorf("validate -offline changed %s (%v %v): mtime %v, was %v", db, err, serr, st.ModTime(), old)
	}
	if got := names(); len(got) != len(listed) {
		t.Errorf("validate -offline left %v in the data directory, which held %v", got, listed)
	}
	help, _, _ := syncdRun(t, "validate", "-h")
	mustContain(t, "validate -h", help, "an SQLite database, a file, is still read (its schema), never written")
}

// TestMistypedExamplesSaysWhereItLooked: validate -examples with a folder
// that is not there said "-examples webhoks: not a folder", as of a file:
// not that nothing was there, from which working directory a relative
// one was read, nor what the folder holds. It says all three now, exit 2.
func TestMistypedExamplesSaysWhereItLooked(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	_, stderr, code := syncdRun(t, "validate", "-offline", "-config", config, "-examples", "no-such-webhooks")
	if code != 2 {
		t.Fatalf("validate -examples no-such-webhooks: exit %d, want 2\n%s", code, stderr)
	}
	mustContain(t, "validate -examples no-such-webhooks", stderr,
		"-examples no-such-webhooks: not a folder (nothing there, read from the working directory "+wd+")",
		"give the folder holding eaf/*.json and lokalebasen/*.json")
	_, stderr, code = syncdRun(t, "validate", "-offline", "-config", config, "-examples", config)
	if code != 2 {
		t.Fatalf("validate -examples FILE: exit %d, want 2\n%s", code, stderr)
	}
	mustContain(t, "validate -examples FILE", stderr, "not a folder (a file)")
}
