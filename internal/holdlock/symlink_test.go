package holdlock_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/holdlock"
)

// TestLockFileThatIsASymlinkIsNotFollowed: a lock file lives in a
// directory others may write to (a reports directory left 0777, or 2770
// for the reports group), where anyone could put a symbolic link in its
// place. Take followed it, truncated its target and wrote a pid there: a
// link to the daemon's database emptied the database at the next start.
// Take now refuses a link, naming it, and leaves the target alone; Holding
// does not read through one either.
func TestLockFileThatIsASymlinkIsNotFollowed(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "syncd.db")
	const leads = "SQLite format 3\x00 every lead"
	if err := os.WriteFile(target, []byte(leads), 0o600); err != nil {
		t.Fatal(err)
	}
	lock := filepath.Join(dir, ".syncd-reports.lock")
	if err := os.Symlink(target, lock); err != nil {
		t.Fatal(err)
	}
	l, err := holdlock.Take(lock, 0o640, "/var/lib/syncd/syncd.db")
	if err == nil {
		l.Release()
		t.Error("a lock taken through a symbolic link")
	} else if !strings.Contains(err.Error(), lock) || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("error %q, want one naming %s as a symbolic link", err, lock)
	}
	if b, _ := os.ReadFile(target); string(b) != leads {
		t.Errorf("the link's target now holds %q", b)
	}
	if _, held := holdlock.Holding(lock); held {
		t.Error("Holding read through the link")
	}
}
