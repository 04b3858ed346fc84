package main_test

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestRestoredBackupGivesNoEventIDAgain follows the README's restore steps
// with events received after the backup: the senders were told their ids
// ("event_id" in the answer), the log and the workbook name them. The
// restored database used to hand those ids out again, so `syncd events show
// 3` named another lead than the one event 3 had been. Now the first start
// on the restore moves the ids past every id the lost database can have
// given, says so in its log, and an id in the gap is said to be one the
// restore may have lost.
func TestRestoredBackupGivesNoEventIDAgain(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	db := filepath.Join(dir, "data", "syncd.db")
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	backup := filepath.Join(t.TempDir(), "syncd-backup.db")
	syncdOK(t, "backup", "-config", config, "-out", backup)
	lost := map[string]bool{}
	for _, f := range []string{"eaf/feed_import.json", "eaf/portal_submission_error.json"} {
		lost[postTestdata(t, d, f).ID] = true
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	restore(t, backup, db)
	d = start(t, config)
	id := postTestdata(t, d, "lokalebasen/enquiry_created.json").ID
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || lost[id] || n <= 3 {
		t.Fatalf("the first event after the restore got id %s, given before the restore to another event (%v)\n%s", id, lost, d.log())
	}
	if !strings.Contains(d.log(), `"event_ids_from":`+id) {
		t.Errorf("the start did not say where event ids continue\n%s", d.log())
	}
	out, err := exec.Command(syncdBin, "events", "show", "-config", config, "2").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "restore") {
		t.Errorf("events show of an id the restore lost: %v\n%s", err, out)
	}
}
