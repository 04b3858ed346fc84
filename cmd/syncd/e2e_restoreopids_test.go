package main_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestRestoredBackupSaysOperationIDsAreGivenAgain: after a restore, outbox
// operation ids are given again (the ones the lost database gave operations
// after the backup), so a dead-letter log line from before the restore
// naming `syncd outbox show 3` or `retry 3` named another operation than
// the one shown now. `outbox show` and `retry` used to show and revive the
// new one without a word; now they say on stderr that the id is one a
// restored backup gives again, and an id not found in that range is said
// to be one the restore may have lost.
func TestRestoredBackupSaysOperationIDsAreGivenAgain(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	db := filepath.Join(dir, "data", "syncd.db")
	d := start(t, config)
	ops := func() int {
		out, _, _ := syncdRun(t, "outbox", "list", "-json", "-config", config)
		return strings.Count(out, "\n")
	}
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the first lead's operations", func() bool { return ops() == 2 })
	backup := filepath.Join(t.TempDir(), "syncd-backup.db")
	syncdOK(t, "backup", "-config", config, "-out", backup)
	postTestdata(t, d, "lokalebasen/enquiry_created.json") // operations 3 and 4, lost with the restore
	waitFor(t, "the second lead's operations", func() bool { return ops() == 4 })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	restore(t, backup, db)
	d = start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json") // stored again: its operations get 3 and 4 again
	waitFor(t, "the lead's operations after the restore", func() bool { return ops() == 4 })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d.log(), `"outbox_ids_reused_from":3`) {
		t.Errorf("the start did not say from which id operation ids are given again\n%s", d.log())
	}
	const why = "this database is a restored backup: operation ids from 3 on"
	out, errOut, code := syncdRun(t, "outbox", "show", "-config", config, "3")
	if code != 0 || !strings.Contains(out, "id:") || !strings.Contains(errOut, why) {
		t.Errorf("outbox show of an id given again: exit %d\n%s\nstderr: %s", code, out, errOut)
	}
	if out, errOut, _ = syncdRun(t, "outbox", "show", "-config", config, "1"); strings.Contains(errOut, "restored") {
		t.Errorf("outbox show of an id from before the backup: %s\nstderr: %s", out, errOut)
	}
	if _, errOut, code = syncdRun(t, "outbox", "show", "-config", config, "9"); code != 3 || !strings.Contains(errOut, "operation 9 not found: "+why) {
		t.Errorf("outbox show of an id not given since the restore: exit %d\nstderr: %s", code, errOut)
	}
}
