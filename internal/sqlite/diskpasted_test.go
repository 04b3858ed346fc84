package sqlite

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
)

// TestDiskCommandsPasteInAnyDirectory: a database out of room says to free
// space there, naming the df -h of its directory, and one on a network
// file system the findmnt -T that shows what its directory is on. Both
// named the directory bare, so under "Søren's syncd (test)" the command
// pasted into a shell did not run (sh: unterminated quoted string). It is
// quoted for the shell now: each command as printed runs.
func TestDiskCommandsPasteInAnyDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Søren's syncd (test)")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "syncd.db")
	for _, c := range []struct {
		what string
		err  error
		re   *regexp.Regexp
	}{
		{"out of room", explainFull(db, syscall.ENOSPC), regexp.MustCompile(`free space there \((df -h .*)\); the daemon`)},
		{"on a network file system", refuseNetwork(dir, FileSystem{Type: "nfs", Network: true}),
			regexp.MustCompile(`\((findmnt -T .*) says what it is on\)`)},
	} {
		m := c.re.FindStringSubmatch(c.err.Error())
		if m == nil {
			t.Fatalf("%s: no command said: %v", c.what, c.err)
		}
		if out, err := exec.Command("sh", "-c", m[1]).CombinedOutput(); err != nil {
			t.Errorf("%s: %s, run by sh: %v\n%s", c.what, m[1], err, out)
		}
	}
}
