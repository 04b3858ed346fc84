package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLostDatabaseSaysWhereTheRestoreIs: a command where syncd kept a
// database that is gone said "restore it from a backup (see Reliability
// in the README)", a section that holds no restore: the README's Backup
// section has its steps. It names that section, and the empty start
// serve's own refusal offers, syncd serve -fresh.
func TestLostDatabaseSaysWhereTheRestoreIs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	makeDB(t, dir)
	for _, f := range []string{"syncd.db", "syncd.db-wal", "syncd.db-shm"} {
		os.Remove(filepath.Join(dir, "data", f))
	}
	out, stderr, code := syncdRun(t, "events", "list", "-config", config)
	if code != 2 || !strings.Contains(stderr, "though syncd kept one there: restore it from a backup (see Backup in the README, "+
		"To restore) or, with none, start once with an empty database: syncd serve -fresh") {
		t.Fatalf("events list of a database gone: exit %d\n%s%s", code, out, stderr)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "\n### Backup\n") || !strings.Contains(string(readme), "\nTo restore ") {
		t.Fatalf("README.md has no Backup section with its To restore: the message points at nothing")
	}
}
