package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestBackupByAUserTheDataDirectoryKeepsOut: an operator ran the nightly
// backup as themselves, not as root, over a data directory of mode 0750
// (the package's is 0751; one copied, or made by hand, keeps others out).
// backup said only `open db: cannot write …/syncd.db: permission denied;
// nor can it be read here: stat …/syncd.db: permission denied`, naming no
// owner and nothing to do, where every other refusal of the data names
// them. It now names the directory that keeps the user out, its owner and
// mode, and as whom to run the command.
func TestBackupByAUserTheDataDirectoryKeepsOut(t *testing.T) {
	t.Parallel()
	as := otherUser(t)
	dir, bin, config := accessDir(t, as, "")
	makeDB(t, dir)
	data := filepath.Join(dir, "data")
	if err := os.Chmod(data, 0o750); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "backups")
	if err := os.Mkdir(out, 0o700); err != nil || os.Chown(out, int(as.Uid), int(as.Gid)) != nil {
		t.Fatalf("the backups' directory: %v", err)
	}
	cmd := exec.Command(bin, "backup", "-config", config, "-out", filepath.Join(out, "syncd.db"))
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: as}
	b, _ := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 2 || // as serve: the rights are a person's to give
		!strings.Contains(string(b), "cannot write "+data+" (owned by root, mode 0750) as postgres: run the command as root") {
		t.Errorf("backup as a user the data directory keeps out: exit %d\n%s", code, b)
	}
}
