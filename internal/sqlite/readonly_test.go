package sqlite

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// readOnlyDirEnv names, in the test binary run again inside a mount
// namespace, the directory mounted read-only there.
const readOnlyDirEnv = "SYNCD_TEST_READONLY_DIR"

// TestReadOnlyFileSystem: databases on a file system mounted read-only
// (EROFS, as after an I/O error; as root too). The test binary runs
// itself again in a user and mount namespace of its own (unshare -rm),
// where the directory holding three copies is bind-mounted read-only:
// one killed with its WAL not checkpointed (-wal and -shm), one closed
// cleanly (no -wal, no -shm), one with a -wal but no -shm. Skipped where
// unprivileged namespaces are not allowed.
func TestReadOnlyFileSystem(t *testing.T) {
	if dir := os.Getenv(readOnlyDirEnv); dir != "" {
		readOnlyChecks(t, dir)
		return
	}
	dir := t.TempDir()
	readOnlyCopies(t, dir)
	script := `mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" || exit 111; exec "$@"`
	cmd := exec.Command("unshare", "-rm", "sh", "-c", script, dir, os.Args[0], "-test.run=^TestReadOnlyFileSystem$", "-test.v")
	cmd.Env = append(os.Environ(), readOnlyDirEnv+"="+dir)
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); err != nil && (code == 111 || code == -1 || errors.Is(err, exec.ErrNotFound)) {
		t.Skipf("needs unshare -rm (user and mount namespaces) to mount a directory read-only: %v %s", err, out)
	}
	if err != nil || !strings.Contains(string(out), "--- PASS: TestReadOnlyFileSystem") {
		t.Fatalf("on a read-only file system (%v):\n%s", err, out)
	}
}

// readOnlyCopies writes the three databases of TestReadOnlyFileSystem
// into dir, each holding state k = v.
func readOnlyCopies(t *testing.T, dir string) {
	ctx := context.Background()
	src := filepath.Join(t.TempDir(), "syncd.db")
	db, err := Open(ctx, src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetStateValue(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ to, files string }{{"crashed", "db wal shm"}, {"noshm", "db wal"}} {
		copyFiles(t, src, filepath.Join(dir, c.to), c.files)
	}
	db.Close() // checkpoints the WAL and removes -wal and -shm
	copyFiles(t, src, filepath.Join(dir, "clean"), "db")
}

// copyFiles copies the database src and those of its -wal and -shm that
// files names ("db wal shm") into the directory to.
func copyFiles(t *testing.T, src, to, files string) {
	t.Helper()
	if err := os.Mkdir(to, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, f := range strings.Fields(files) {
		from, name := src, "syncd.db"
		if f != "db" {
			from, name = src+"-"+f, name+"-"+f
		}
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, name), b, FileMode); err != nil {
			t.Fatal(err)
		}
	}
}

// readOnlyChecks runs inside the namespace, dir mounted read-only.
func readOnlyChecks(t *testing.T, dir string) {
	ctx := context.Background()
	for _, c := range []string{"crashed", "clean"} {
		path := filepath.Join(dir, c, "syncd.db")
		if _, err := Open(ctx, path, Options{}); !errors.Is(err, syscall.EROFS) ||
			!strings.Contains(err.Error(), "cannot write "+path+": read-only file system") {
			t.Errorf("%s: Open for writing: %v, want the read-only file system named", c, err)
		}
		db, err := Open(ctx, path, Options{ReadOnlyFallback: true})
		if err != nil {
			t.Fatalf("%s: Open with ReadOnlyFallback: %v", c, err)
		}
		if why := db.ReadOnly(); !errors.Is(why, syscall.EROFS) {
			t.Errorf("%s: ReadOnly() = %v, want why (EROFS)", c, why)
		}
		if v, ok, err := db.StateValue(ctx, "k"); v != "v" || !ok || err != nil {
			t.Errorf("%s: the committed state reads %q %v %v, want v", c, v, ok, err)
		}
		if err := db.SetStateValue(ctx, "k", "w"); err == nil {
			t.Errorf("%s: a write to a read-only database succeeded", c)
		}
		db.Close()
	}
	path := filepath.Join(dir, "noshm", "syncd.db")
	_, err := Open(ctx, path, Options{ReadOnlyFallback: true})
	if err == nil || !strings.Contains(err.Error(), "syncd.db-wal holds transactions not yet in syncd.db and its index syncd.db-shm is missing") {
		t.Errorf("a -wal without its -shm: %v, want a refusal saying so", err)
	}
}
