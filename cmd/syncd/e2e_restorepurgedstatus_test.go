package main_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestRestoredStatusSaysSyncdPurgeRan: on a restored backup no daemon has
// served yet, status said "its first start purges what the retention no
// longer keeps (syncd purge does it now)" after syncd purge had run, as
// though it had not. Now it says when syncd purge ran, and that the first
// start purges again.
func TestRestoredStatusSaysSyncdPurgeRan(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	backup := backUp(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	restore(t, backup, filepath.Join(dir, "data", "syncd.db"))
	out, _, _ := syncdRun(t, "status", "-config", config)
	if !strings.Contains(out, "its first start purges what the retention no longer keeps (syncd purge does it now)") {
		t.Errorf("status on the restore before syncd purge:\n%s", out)
	}
	syncdOK(t, "purge", "-config", config)
	out, _, _ = syncdRun(t, "status", "-config", config)
	if strings.Contains(out, "syncd purge does it now") || !strings.Contains(out, "syncd purge dropped from it at ") ||
		!strings.Contains(out, "what the retention no longer kept; its first start purges again before it maps") {
		t.Errorf("status on the restore after syncd purge: want it to say syncd purge ran:\n%s", out)
	}
	d = start(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if out, _, _ = syncdRun(t, "status", "-config", config); strings.Contains(out, "syncd purge dropped") || strings.Contains(out, "first start purges") {
		t.Errorf("status once a daemon served the restore still speaks of its first start:\n%s", out)
	}
}
