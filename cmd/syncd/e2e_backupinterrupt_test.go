package main_test

import (
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCtrlCOnBackupSaysNoCopyWritten: Ctrl-C on `syncd backup` while it
// copied said "syncd: backup: context canceled", which did not say that
// the interruption was understood nor whether a copy was left. It says
// "interrupted: no copy written", exit 1, and leaves no file, partial or
// whole.
func TestCtrlCOnBackupSaysNoCopyWritten(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(configYAML(dir, []string{e2eLBToken}, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	makeDB(t, dir)
	// A database large enough that copying it takes a while (100 MB).
	raw, err := sql.Open("sqlite3", filepath.Join(dir, "data", "syncd.db"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = raw.Exec(`CREATE TABLE ballast(b BLOB);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 5000) INSERT INTO ballast SELECT randomblob(20000) FROM n`)
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(dir, "copy.db")
	cmd := syncdCmd("backup", "-config", config, "-out", out)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	partial := filepath.Join(dir, ".copy.db.*.syncd-backup.tmp")
	var exit error
	for copying := false; !copying; {
		select {
		case exit = <-done:
			t.Fatalf("backup ended (%v) before it could be interrupted: %s", exit, stderr.String())
		case <-time.After(time.Millisecond):
			m, _ := filepath.Glob(partial)
			copying = len(m) > 0
		}
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	exit = <-done
	var ee *exec.ExitError
	if !errors.As(exit, &ee) || ee.ExitCode() != 1 || stderr.String() != "syncd backup: interrupted: no copy written\n" {
		t.Errorf("Ctrl-C on backup: %v, stderr %q; want exit 1 and \"syncd backup: interrupted: no copy written\"", exit, stderr.String())
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*copy.db*"))
	if len(left) > 0 {
		t.Errorf("left %q after the interrupted backup", left)
	}
}
