package main_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"
)

// TestBackupLeavesAnOlderSchemaAsItIs: `syncd backup` by a newer binary
// (installed, the daemon not restarted yet: the README's upgrade takes a
// backup first) used to migrate the database it copied, silently, under
// the older daemon still serving it, and the copy could then not go back
// to the older version. The backup now copies the database as it is; the
// copy is migrated when the new version opens it.
func TestBackupLeavesAnOlderSchemaAsItIs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	db := filepath.Join(dir, "data", "syncd.db")
	os.MkdirAll(filepath.Dir(db), 0o750)
	loadSQL(t, db, "../../testdata/upgrade/v6-ba9134d.sql")
	backup := filepath.Join(t.TempDir(), "syncd-backup.db")
	_, stderr, code := syncdRun(t, "backup", "-config", config, "-out", backup)
	if code != 0 {
		t.Fatalf("backup: exit %d\n%s", code, stderr)
	}
	for _, f := range []string{db, backup} {
		if v := userVersion(t, f); v != 6 {
			t.Fatalf("%s: schema %d after the backup, want 6 as the older syncd left it\n%s", f, v, stderr)
		}
	}
	dir2 := t.TempDir()
	config2 := writeConfig(t, dir2)
	os.MkdirAll(filepath.Join(dir2, "data"), 0o750)
	restore(t, backup, filepath.Join(dir2, "data", "syncd.db"))
	if rows := syncdJSON(t, "events", "list", "-json", "-config", config2); len(rows) == 0 {
		t.Fatal("no events in the restored backup")
	}
}

func loadSQL(t *testing.T, path, dump string) {
	t.Helper()
	b, err := os.ReadFile(dump)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(string(b)); err != nil {
		t.Fatal(err)
	}
}

func userVersion(t *testing.T, path string) int {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var v int
	if err := raw.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
