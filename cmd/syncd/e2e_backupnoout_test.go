package main_test

import (
	"strings"
	"testing"
)

// TestBackupWithoutOutSaysWhatToWrite: "syncd backup" alone is refused,
// exit 2, saying what -out is and how to write it, before the database is
// opened. It said `-out FILE is required` alone.
func TestBackupWithoutOutSaysWhatToWrite(t *testing.T) {
	t.Parallel()
	config := writeConfig(t, t.TempDir())
	stdout, stderr, code := syncdRun(t, "backup", "-config", config)
	want := "syncd backup: -out FILE is required: the file to write the copy to (syncd backup -out /var/backups/syncd/syncd.db)"
	if code != 2 || stdout != "" || !strings.HasPrefix(stderr, want) {
		t.Errorf("backup without -out: exit %d, stdout %q, want 2 and %q:\n%s", code, stdout, want, stderr)
	}
}
