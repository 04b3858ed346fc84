package main_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandOnALockedDatabaseSaysTryAgain: another process (a sqlite3
// shell left in a transaction) holds a lock on the database while the
// operator cleans up after an incident. `syncd outbox retry -all-dead`
// said only "database is locked", exit 1 (failed),
// while every command's help and docs/commands.md give 4 for a database
// busy: try again. They now exit 4, saying another process holds the lock,
// how to find it and to run the command again once it is released.
func TestCommandOnALockedDatabaseSaysTryAgain(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	start(t, config) // the daemon runs, as it does while the operator cleans up
	path := filepath.Join(dir, "data", "syncd.db")
	db, err := sql.Open("sqlite3", "file:"+path+"?_txlock=exclusive")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lock, err := db.BeginTx(context.Background(), nil) // BEGIN EXCLUSIVE
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback()
	if _, err := lock.Exec(`UPDATE state SET value = value`); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"outbox", "retry", "-all-dead"}} {
		out, stderr, code := syncdRun(t, append(args, "-config", config)...)
		if code != 4 {
			t.Errorf("syncd %s under another process's lock: exit %d, want 4 (busy: try again)\n%s%s", strings.Join(args, " "), code, out, stderr)
		}
		mustContain(t, "syncd "+strings.Join(args, " "), stderr, "another process holds a lock on the database",
			"fuser -v "+path, "run the command again once it is released")
	}
}
