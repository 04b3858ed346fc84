package writable_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/writable"
)

// TestReadWritePathsSaidIsOneUnitPath: a directory read-only to syncd's
// unit is said with the ReadWritePaths= to add (systemctl edit). It named
// the directory bare: with a space systemd read two paths and ignored the
// second ("path is not absolute, ignoring"), with an apostrophe it ignored
// the line ("Failed to extract first word"), and a % was taken for a
// specifier. The line as said now is one path to systemd-analyze verify,
// which says nothing of it.
func TestReadWritePathsSaidIsOneUnitPath(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("no systemd-analyze to read a unit")
	}
	dir := filepath.Join(t.TempDir(), "Søren's syncd (test) 100%")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	rw := regexp.MustCompile(`add (ReadWritePaths=.*) with systemctl edit`)
	for _, state := range []string{"", "/var/lib/syncd/agency"} { // a disk gone read-only; under a unit, outside its state directory
		t.Setenv("STATE_DIRECTORY", state)
		err := writable.ReadOnly(filepath.Join(dir, "syncd.db"), dir, syscall.EROFS)
		m := rw.FindStringSubmatch(err.Error())
		if m == nil {
			t.Fatalf("STATE_DIRECTORY=%s: no ReadWritePaths= said: %v", state, err)
		}
		unit := filepath.Join(t.TempDir(), "t.service")
		if err := os.WriteFile(unit, []byte("[Unit]\nDescription=t\n[Service]\nExecStart=/bin/true\n"+m[1]+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("systemd-analyze", "verify", unit).CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("STATE_DIRECTORY=%s: %s in a unit: systemd-analyze verify says %v\n%s", state, m[1], err, out)
		}
	}
}
