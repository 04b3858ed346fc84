package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupWithoutOutSaysWhatToWrite: "syncd backup" alone is refused,
// exit 2, saying what -out is and how to write it, before the database is
// opened. It said `-out FILE is required` alone.
func TestBackupWithoutOutSaysWhatToWrite(t *testing.T) {
	t.Parallel()
	config := writeConfig(t, t.TempDir())
	stdout, stderr, code := syncdRun(t, "backup", "-config", config)
	want := "syncd backup: -out FILE is required: the file to write the copy to (syncd backup -out /var/backups/syncd/syncd.db)"
	if code != 2 || stdout != "" || !strings.HasPrefix(stderr, want) {
		t.Errorf("backup without -out: exit %d, stdout %q, want 2 and %q:\n%s", code, stdout, want, stderr)
	}
}

// TestBackupOnPostgresSaysToUseItsOwn: on PostgreSQL, syncd backup without
// -out asked for one, `-out FILE is required ... (syncd backup -out
// /var/backups/syncd/syncd.db)`, exit 2, and given it refused, exit 1:
// SQLite only. Both now say at once that it backs up SQLite alone and what
// backs up PostgreSQL, exit 2 (a configuration it does not apply to), and
// write no file. (No server needed: it refuses before connecting.)
func TestBackupOnPostgresSaysToUseItsOwn(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	store := pgStore(t, dir, "postgres://syncd@127.0.0.1:1/syncd")
	if err := os.WriteFile(config, []byte(configYAML(dir, []string{e2eLBToken}, store)), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "copy.db")
	for _, args := range [][]string{{}, {"-out", out}} {
		stdout, stderr, code := syncdRun(t, append([]string{"backup", "-config", config}, args...)...)
		if code != 2 || stdout != "" || strings.Contains(stderr, "-out FILE is required") ||
			!strings.Contains(stderr, "this command works on the SQLite store only; on postgres use its own backups (pg_dump") {
			t.Errorf("backup %v on PostgreSQL: exit %d, want 2 and SQLite only\n%s%s", args, code, stdout, stderr)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a file at -out: %v", err)
	}
}
