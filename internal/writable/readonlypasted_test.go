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

// TestReadOnlyFindmntPastesInAnyDirectory: a directory syncd could not
// write on a read-only file system is said with the findmnt -T that shows
// its mount. It named the directory bare, so under "Søren's syncd (test)"
// the findmnt pasted into a shell did not run (sh: unterminated quoted
// string). It is quoted for the shell now: the findmnt as printed runs.
func TestReadOnlyFindmntPastesInAnyDirectory(t *testing.T) {
	t.Setenv("STATE_DIRECTORY", "") // not under a unit: the words of a disk gone read-only
	dir := filepath.Join(t.TempDir(), "Søren's syncd (test)")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	err := writable.ReadOnly(filepath.Join(dir, "syncd.db"), dir, syscall.EROFS)
	m := regexp.MustCompile(`\((findmnt -T .*) shows the mount`).FindStringSubmatch(err.Error())
	if m == nil {
		t.Fatalf("no findmnt said: %v", err)
	}
	if out, err := exec.Command("sh", "-c", m[1]).CombinedOutput(); err != nil {
		t.Errorf("%s, run by sh: %v\n%s", m[1], err, out)
	}
}
