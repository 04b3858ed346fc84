package main_test

import (
	"strings"
	"syscall"
	"testing"
)

// TestRestoredBackupPurgesPastTheRetentionAtItsFirstStart: a backup older
// than the retention holds lead bodies the daemon it was taken of has
// purged since. Restored without the README's syncd purge, the daemon held
// them again until the purge after its next daily report (a day; a day and
// a half with the report failing), reported and exported them meanwhile.
// Now its first start on the restore runs the retention purge before it
// maps, sends or reports anything, and logs why; status says so before.
func TestRestoredBackupPurgesPastTheRetentionAtItsFirstStart(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, config, db, d := startWithTheLead(t, t.TempDir())
	waitForRecords(t, fake, d, 1, 1, "the lead")
	waitFor(t, "every operation of the lead done", func() bool {
		return len(syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config)) == 0
	})
	backup := backUp(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	ageEvent(t, backup, "1") // the lead and its operations 200 days old: past the 90 days kept

	restore(t, backup, db)
	if out, _, _ := syncdRun(t, "status", "-config", config); !strings.Contains(out, "its first start purges what the retention no longer keeps") {
		t.Errorf("status before the first start on the restore does not say it purges:\n%s", out)
	}
	d = start(t, config)
	out := syncdOK(t, "events", "show", "-config", config, "1")
	if !strings.Contains(out, `"payload": null`) || !strings.Contains(out, "purged by the retention") {
		t.Errorf("the lead past the retention, once the daemon serves the restore:\n%s", out)
	}
	log := d.log()
	purged, serving := strings.Index(log, `"events":1`), strings.Index(log, `"message":"serving"`)
	if !strings.Contains(log, "restored from a backup: applying the retention") || purged < 0 || purged > serving {
		t.Errorf("the first start does not say it purged the restore before serving:\n%s", log)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}
