package main_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSecondRestoreKeepsTheFirstRestoresLostIDs: a backup taken after a
// restore, restored in turn, forgot the ids the first restore skipped
// (its record was dropped from the backup, and the second restore
// recorded its own alone): `syncd events show` of an id the first restore
// lost said it was not held, as of one never given, where it had said
// that the restore may have lost it. Every restore's skipped ids are told
// so, events and quarantined bodies alike.
func TestSecondRestoreKeepsTheFirstRestoresLostIDs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	db := filepath.Join(dir, "data", "syncd.db")
	storeOldLeads(t, dir, e2eJane, time.Now())
	first := filepath.Join(t.TempDir(), "syncd-1.db")
	syncdOK(t, "backup", "-config", config, "-out", first)
	restore(t, first, db)
	syncdOK(t, "purge", "-config", config) // the first writer skips the ids the backup may have lost
	second := filepath.Join(t.TempDir(), "syncd-2.db")
	syncdOK(t, "backup", "-config", config, "-out", second)
	restore(t, second, db)
	syncdOK(t, "purge", "-config", config)
	for _, args := range [][]string{{"5"}, {"-quarantined", "5"}, {"2000005"}} {
		stdout, stderr, code := syncdRun(t, append([]string{"events", "show", "-config", config}, args...)...)
		if code != 3 || stdout != "" || !strings.Contains(stderr, "may have been given to") ||
			!strings.Contains(stderr, "restore") {
			t.Errorf("events show %v, an id a restore skipped: exit %d\n%s%s", args, code, stdout, stderr)
		}
	}
	stdout, stderr, code := syncdRun(t, "events", "show", "-config", config, "6000000")
	if code != 3 || strings.Contains(stderr, "restore") {
		t.Errorf("events show of an id no restore skipped: exit %d\n%s%s", code, stdout, stderr)
	}
}
