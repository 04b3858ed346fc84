package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestErasureByEventIDSparesAnotherDatabasesLead: the erasure log names
// the leads `syncd erase -event` erased by their event ids, and the first
// start on a restored backup erases those ids again. A database started
// afresh beside the log (syncd.db deleted, the log kept) numbers its
// events from 1 again: erase -event 2 there, then a backup of the first
// database restored, erased that backup's event 2, another client's lead
// received before the fresh start. An erasure of leads received after the
// backup was taken is not made again on it: the backup cannot hold them,
// and their ids, when it holds them, name other leads.
func TestErasureByEventIDSparesAnotherDatabasesLead(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	db := filepath.Join(dir, "data", "syncd.db")
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")                                     // event 1
	if a := postTestdata(t, d, "lokalebasen/enquiry_created.json"); a.ID != "2" { // event 2: kept
		t.Fatalf("the enquiry stored as event %s, want 2", a.ID)
	}
	backup := backUp(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	for _, f := range []string{db, db + "-wal", db + "-shm"} { // started afresh, the erasure log kept
		os.Remove(f)
	}
	d = startCmd(t, syncdCmd("serve", "-config", config, "-fresh"))
	for _, body := range []string{
		`{"eaf_type":"email_lead","eaf_id":"f1","email_source":"rightmove","contact_name":"Anna Jensen","contact_message_flat":"Vesterbro?"}`,
		`{"eaf_type":"email_lead","eaf_id":"f2","email_source":"rightmove","contact_name":"Bo Holm","contact_message_flat":"Garden?"}`,
	} {
		if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(body)); err != nil || a.Code != 200 {
			t.Fatalf("post: %+v, %v", a, err)
		}
	}
	if out, stderr, code := syncdRun(t, "erase", "-config", config, "-event", "2"); code != 0 || !strings.Contains(out, "erased: 1 event") {
		t.Fatalf("erase -event 2 on the fresh database: exit %d\n%s%s", code, out, stderr)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	restore(t, backup, db)
	d = start(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "events", "show", "-config", config, "2")
	if code != 0 || !strings.Contains(out, "angela7913@hotmail.com") {
		t.Errorf("the restored backup's event 2, another client's lead, after the first start: exit %d\n%s%s\nlog:\n%s",
			code, out, stderr, d.log())
	}
}
