package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Backups into a directory the user may not write said `syncd: backup:
// cannot create a file in DIR: permission denied` (or `read-only file
// system`), exit 1, and nothing of what to do. They are refused as an
// -out in a directory that does not exist is (exit 2, nothing copied),
// naming the directory, whose it is, and the way out.

// TestBackupIntoADirectoryItMayNotWriteSaysWhatToDo: a directory whose
// mode keeps the user out is named with its owner and mode, and the
// backup is sent to a directory the user may write, made for the
// backups. Root ignores a directory's mode, so as root the directory is
// one in which nobody may create a file (sysfs); as another user, a
// directory of mode 0555.
func TestBackupIntoADirectoryItMayNotWriteSaysWhatToDo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	storeOldLeads(t, dir, e2eJane, time.Now())
	closed := "/sys"
	if os.Geteuid() != 0 {
		closed = filepath.Join(dir, "closed")
		if err := os.Mkdir(closed, 0o555); err != nil {
			t.Fatal(err)
		}
	}
	if f, err := os.CreateTemp(closed, ".probe"); err == nil { // not refused here: nothing to test
		f.Close()
		os.Remove(f.Name())
		t.Skipf("%s takes new files", closed)
	}
	out := filepath.Join(closed, "syncd.db")
	stdout, stderr, code := syncdRun(t, "backup", "-config", config, "-out", out)
	// The command is named once: the store's own "backup: " is not said again.
	for _, want := range []string{"syncd backup: cannot write in " + closed + " as ", "permission denied",
		"give -out a file in a directory", "install -d -m 0700 -o "} {
		if !strings.Contains(stderr, want) {
			t.Errorf("backup -out %s: stderr lacks %q:\n%s", out, want, stderr)
		}
	}
	if code != 2 || stdout != "" || strings.Contains(stderr, "backup: backup:") {
		t.Errorf("backup -out %s: exit %d, stdout %q; want 2 and nothing, the command named once\n%s", out, code, stdout, stderr)
	}
}

// TestBackupOntoAReadOnlyDiskSaysWhatToDo: a directory on a read-only
// file system (bind-mounted read-only over itself: EROFS, as root too, as
// a systemd unit's ProtectSystem=strict makes every directory outside its
// ReadWritePaths=) is named so, with the mount to look at and the unit's
// ReadWritePaths= to add, and no copy is left there.
func TestBackupOntoAReadOnlyDiskSaysWhatToDo(t *testing.T) {
	t.Parallel()
	needTmpfs(t)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	storeOldLeads(t, dir, e2eJane, time.Now())
	backups := filepath.Join(dir, "backups")
	if err := os.Mkdir(backups, 0o700); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(backups, "syncd.db")
	stdout, stderr, code := onReadOnlyData(t, backups, "backup", "-config", config, "-out", out)
	for _, want := range []string{"backup: cannot write in " + backups + " as ", "read-only file system",
		"findmnt -T " + sq(backups), "give -out a file in a directory", "ReadWritePaths=" + unitPath(backups)} {
		if !strings.Contains(stderr, want) {
			t.Errorf("backup -out %s: stderr lacks %q:\n%s", out, want, stderr)
		}
	}
	if code != 2 || stdout != "" {
		t.Errorf("backup -out %s: exit %d, stdout %q; want 2 and nothing\n%s", out, code, stdout, stderr)
	}
	if left, _ := os.ReadDir(backups); len(left) != 0 {
		t.Errorf("%s holds %v after the refused backup", backups, left)
	}
}
