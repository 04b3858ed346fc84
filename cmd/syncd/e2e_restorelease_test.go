package main_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestRestoredBackupReleasesTheLeasesItHolds: a backup taken while the
// syncer was sending a lead (its operations leased, sync.lease, 5 minutes)
// holds the lease of a syncer that no longer runs. After the restore the
// README's `syncd erase` of that person was refused ("being sent to the
// CRM: try again in a few minutes"), and the daemon left the lead unsent
// until the lease ran out. Now the first writer on the restore releases
// the leases the backup holds.
func TestRestoredBackupReleasesTheLeasesItHolds(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	fake, url := startFakeCRM(t, crmfake.Options{})
	config := writeCRMConfigOnPort(t, dir, url, true)
	db := filepath.Join(dir, "data", "syncd.db")
	fake.AddFault(crmfake.Fault{Path: "/crm/v3/objects/**", Action: crmfake.ActSlow, Delay: 20 * time.Second})
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the lead being sent", func() bool { return fake.Faults()[0].Fired > 0 })
	backup := filepath.Join(t.TempDir(), "syncd-backup.db")
	syncdOK(t, "backup", "-config", config, "-out", backup)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	fake.ClearFaults()

	restore(t, backup, db)
	d = start(t, config)
	waitForRecords(t, fake, d, 1, 1, "the start on the restore")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	restore(t, backup, db) // again, with the README's steps: erase who was erased since, then start
	out, errOut, code := syncdRun(t, "erase", "-config", config, "-email", "support@estateagentfeeds.com")
	if code != 0 || !strings.Contains(out, "erased: 1 event") {
		t.Errorf("erase on the restore: exit %d\n%s%s", code, out, errOut)
	}
	d = start(t, config) // the erasure made on the restore is no erasure it undid
	if out, _, code := syncdRun(t, "status", "-config", config); code != 0 || strings.Contains(out, "UNDONE") ||
		strings.Contains(d.log(), "undone") {
		t.Errorf("status after the README's erase on the restore: exit %d\n%s\n%s", code, out, d.log())
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}
