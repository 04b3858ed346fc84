package main_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBackupOverAFileThatIsNoDatabaseRefused: `syncd backup -out` naming
// a file that is there and is no database (the erasure log beside the
// database, a tab completion away from a backup named syncd-…; the
// configuration) used to exit 0 having renamed the copy over it: the
// erasure log, which the first start on a restored backup reads to erase
// again whom it names, was gone. Now it exits 2, before anything is
// copied, leaving the file as it was; a backup over an earlier backup
// still replaces it.
func TestBackupOverAFileThatIsNoDatabaseRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	storeOldLeads(t, dir, e2eJane, time.Now())
	syncdOK(t, "erase", "-config", config, "-email", e2eJane.email)
	erasures := filepath.Join(dir, "data", "syncd-erasures.jsonl")
	for _, out := range []string{erasures, config} {
		before, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		stdout, stderr, code := syncdRun(t, "backup", "-config", config, "-out", out)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "is not a database") ||
			!strings.Contains(stderr, "give -out another file") {
			t.Errorf("backup -out %s: exit %d\n%s%s", out, code, stdout, stderr)
		}
		if after, err := os.ReadFile(out); err != nil || !bytes.Equal(after, before) {
			t.Errorf("%s changed by the refused backup (%v)", out, err)
		}
	}
	earlier := filepath.Join(dir, "backup.db")
	syncdOK(t, "backup", "-config", config, "-out", earlier)
	syncdOK(t, "backup", "-config", config, "-out", earlier)
	if err := os.WriteFile(filepath.Join(dir, "empty.db"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	syncdOK(t, "backup", "-config", config, "-out", filepath.Join(dir, "empty.db"))
}
