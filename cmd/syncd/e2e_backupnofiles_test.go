package main_test

import (
	"os"
	"strings"
	"testing"
	"time"
)

// TestBackupIntoADirectoryThatTakesNoFilesIsRefused: syncd backup -out
// /proc/syncd.db said "cannot create a file in /proc: no such file or
// directory", exit 1, though an -out in a directory it may not write is
// refused, exit 2 (as its -h and docs/commands.md say), with where to
// write instead. /proc, whose directory is there but takes no new files,
// is refused so: exit 2, naming it, nothing printed as written.
func TestBackupIntoADirectoryThatTakesNoFilesIsRefused(t *testing.T) {
	t.Parallel()
	if st, err := os.Stat("/proc/self"); err != nil || !st.IsDir() {
		t.Skip("no /proc here")
	}
	dir := t.TempDir()
	config := writeConfig(t, dir)
	storeOldLeads(t, dir, e2eJane, time.Now())
	stdout, stderr, code := syncdRun(t, "backup", "-config", config, "-out", "/proc/syncd.db")
	for _, want := range []string{"backup: /proc takes no new files", "give -out a file in a directory", "install -d -m 0700 -o "} {
		if !strings.Contains(stderr, want) {
			t.Errorf("backup -out /proc/syncd.db: stderr lacks %q:\n%s", want, stderr)
		}
	}
	if code != 2 || stdout != "" {
		t.Errorf("backup -out /proc/syncd.db: exit %d, stdout %q; want 2 and nothing\n%s", code, stdout, stderr)
	}
}
