package sqlite

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
)

// TestBackupReadWritePathsIsOneUnitPath: backup -out in a directory on a
// read-only file system (one outside syncd.service's ReadWritePaths=) says
// to add ReadWritePaths=DIR to the unit. DIR was bare: under "Søren's
// syncd (test)" systemd ignored the line ("Failed to extract first
// word"). The line as said now is one path to systemd-analyze verify,
// which says nothing of it.
func TestBackupReadWritePathsIsOneUnitPath(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("no systemd-analyze to read a unit")
	}
	dir := filepath.Join(t.TempDir(), "Søren's syncd (test) backups")
	err := unwritableDir(dir, syscall.EROFS)
	m := regexp.MustCompile(`add (ReadWritePaths=.*) to that unit`).FindStringSubmatch(err.Error())
	if m == nil {
		t.Fatalf("no ReadWritePaths= said: %v", err)
	}
	unit := filepath.Join(t.TempDir(), "t.service")
	if err := os.WriteFile(unit, []byte("[Unit]\nDescription=t\n[Service]\nExecStart=/bin/true\n"+m[1]+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("systemd-analyze", "verify", unit).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("%s in a unit: systemd-analyze verify says %v\n%s", m[1], err, out)
	}
}
