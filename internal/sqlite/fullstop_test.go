package sqlite

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A daemon stopping cleanly, or a command closing the database a daemon
// killed before served, deletes the serving mark (StateServing), and the
// last connection's checkpoint puts all into syncd.db and removes the
// -wal. On a full disk the delete fails (it needs room in the -wal) while
// the checkpoint may not (the file reuses free pages, as after a retention
// purge): the file was left holding the mark with no -wal beside it, which
// the next start refused as a file moved without its daemon's write-ahead
// log, though it lost nothing. The -wal is kept then: the next open reads
// it as after a crash.

func TestCleanStopOnAFullDiskKeepsTheWAL(t *testing.T) {
	dir, inside := onSmallTmpfs(t)
	if !inside {
		return
	}
	ctx := context.Background()
	path := filepath.Join(dir, "syncd.db")
	db, err := Open(ctx, path, Options{Daemon: true, DeferSync: true})
	if err != nil {
		t.Fatal(err)
	}
	writeIntoFreePages(t, db)
	fillDisk(t, dir)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	wantOpensAgain(t, dir, path)
}

func TestCommandClosingACrashedDaemonsFileOnAFullDiskKeepsTheWAL(t *testing.T) {
	dir, inside := onSmallTmpfs(t)
	if !inside {
		return
	}
	ctx := context.Background()
	path := filepath.Join(dir, "served", "syncd.db")
	db, err := Open(ctx, path, Options{Daemon: true, DeferSync: true})
	if err != nil {
		t.Fatal(err)
	}
	writeIntoFreePages(t, db)
	if err := db.Durable(); err != nil {
		t.Fatal(err)
	}
	// What a crash leaves: the file, holding the mark, its -wal and -shm.
	crashed := filepath.Join(dir, "crashed", "syncd.db")
	for _, f := range []string{"syncd.db", "syncd.db-wal", "syncd.db-shm", ".syncd.db.created"} {
		b, err := os.ReadFile(filepath.Join(dir, "served", f))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(crashed), 0o750)
		if err := os.WriteFile(filepath.Join(dir, "crashed", f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	fillDisk(t, dir)
	command, err := Open(ctx, crashed, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if command.servedBy == "" {
		t.Fatal("the crashed daemon's copy holds no serving mark")
	}
	if err := command.Close(); err != nil {
		t.Fatal(err)
	}
	// The crashed daemon's files are the copy: the one still open here is
	// no other database served beside it (CopiedWhileServed).
	db.Close()
	if err := os.RemoveAll(filepath.Join(dir, "served")); err != nil {
		t.Fatal(err)
	}
	wantOpensAgain(t, dir, crashed)
}

// onSmallTmpfs runs the test again in a user and mount namespace of its
// own (unshare -rm) with a 1 MiB tmpfs, where the disk fills for real
// (ENOSPC). It returns that tmpfs's directory and true in that run; in
// this one, false once that run passed (or skips where unprivileged
// namespaces are not allowed).
func onSmallTmpfs(t *testing.T) (string, bool) {
	t.Helper()
	if dir := os.Getenv("SYNCD_TEST_TMPFS"); dir != "" {
		return dir, true
	}
	dir := t.TempDir()
	cmd := exec.Command("unshare", "-rm", "sh", "-c", `mount -t tmpfs -o size=1m tmpfs "$0" || exit 111; exec "$@"`,
		dir, os.Args[0], "-test.run", "^"+t.Name()+"$", "-test.count", "1", "-test.v")
	cmd.Env = append(os.Environ(), "SYNCD_TEST_TMPFS="+dir)
	out, err := cmd.CombinedOutput()
	if cmd.ProcessState != nil && cmd.ProcessState.ExitCode() == 111 || errors.Is(err, exec.ErrNotFound) {
		t.Skipf("needs unshare -rm (user and mount namespaces) to mount a small tmpfs: %v %s", err, out)
	}
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("on a small tmpfs: %v\n%s", err, out)
	}
	return "", false
}

// writeIntoFreePages leaves free pages in the database (as a retention
// purge does) and a commit in the -wal that reuses them: a checkpoint then
// needs no room on the disk.
func writeIntoFreePages(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []string{`CREATE TABLE pad (b BLOB)`, `INSERT INTO pad VALUES (zeroblob(200000))`, `DROP TABLE pad`} {
		if _, err := db.w.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	// The -wal emptied: what follows makes it grow, which a full disk fails.
	if _, err := db.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE pad (b BLOB); INSERT INTO pad VALUES (zeroblob(100000))`); err != nil {
		t.Fatal(err)
	}
}

// fillDisk takes the room left on the disk holding dir.
func fillDisk(t *testing.T, dir string) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			return
		}
	}
}

// wantOpensAgain checks that the database at path opens, as the next start
// would, once room is made on the disk holding dir.
func wantOpensAgain(t *testing.T, dir, path string) {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, "filler")); err != nil {
		t.Fatal(err)
	}
	db, err := Open(context.Background(), path, Options{Daemon: true, DeferSync: true})
	if err != nil {
		t.Fatalf("the next start on it: %v", err)
	}
	var n int
	if err := db.r.QueryRow(`SELECT count(*) FROM pad`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the commit made before the stop: %d rows, %v", n, err)
	}
	db.Close()
}
