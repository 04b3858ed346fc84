package writable_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"al.essio.dev/pkg/shellescape"
	"github.com/syncd-dev/syncd/internal/writable"
)

// readOnlyDirEnv names, in the re-executed test, its read-only directory.
const readOnlyDirEnv = "SYNCD_TEST_WRITABLE_READONLY_DIR"

// TestReadOnlyFileSystemIsNotBlamedOnOwners: a report.dir outside
// /var/lib/syncd is read-only to the service (syncd.service's
// ProtectSystem=strict), and a disk goes read-only after an I/O error; the
// daemon's warning blamed the directory's owner, of a directory it owns:
// "reports directory lock: cannot write /srv/reports (owned by syncd, mode
// 0755) as syncd: run the command as syncd, or let syncd write it (…:
// read-only file system)". Explain now says the file system is read-only,
// how to see the mount, and both causes with what to do. The directory is
// bind-mounted read-only over itself in a user and mount namespace
// (unshare -rm), as internal/sqlite's TestReadOnlyFileSystem does.
func TestReadOnlyFileSystemIsNotBlamedOnOwners(t *testing.T) {
	if dir := os.Getenv(readOnlyDirEnv); dir != "" {
		lock := filepath.Join(dir, ".syncd-reports.lock")
		_, err := os.OpenFile(lock, os.O_CREATE|os.O_RDWR, 0o640)
		if err == nil {
			t.Fatal("wrote on the read-only bind mount")
		}
		got := writable.Explain(err, lock, dir).Error()
		for _, want := range []string{"cannot write " + dir + ": read-only file system", "findmnt -T " + shellescape.Quote(dir),
			"ProtectSystem=strict", "ReadWritePaths=" + unitQuoted(dir), "dmesg"} {
			if !strings.Contains(got, want) {
				t.Errorf("Explain on a read-only file system:\n%s\nwant %q in it", got, want)
			}
		}
		if strings.Contains(got, "owned by") || strings.Contains(got, "run the command as") {
			t.Errorf("Explain blames the owner of a read-only file system's directory:\n%s", got)
		}
		return
	}
	dir := t.TempDir()
	script := `mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" || exit 111; exec "$@"`
	cmd := exec.Command("unshare", "-rm", "sh", "-c", script, dir, os.Args[0], "-test.run=^TestReadOnlyFileSystemIsNotBlamedOnOwners$", "-test.v")
	cmd.Env = append(os.Environ(), readOnlyDirEnv+"="+dir)
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); err != nil && (code == 111 || code == -1 || errors.Is(err, exec.ErrNotFound)) {
		t.Skipf("needs unshare -rm (user and mount namespaces) to mount a directory read-only: %v %s", err, out)
	}
	if err != nil || !strings.Contains(string(out), "--- PASS: TestReadOnlyFileSystemIsNotBlamedOnOwners") {
		t.Fatalf("on a read-only file system (%v):\n%s", err, out)
	}
}

// unitQuoted is dir as a unit file's path setting is written: in double
// quotes where it holds a space or an apostrophe, as the temporary
// directory's path may (TMPDIR under /home/Søren Ærø/tmp).
func unitQuoted(dir string) string {
	if strings.ContainsAny(dir, " '") {
		return `"` + dir + `"`
	}
	return dir
}
