package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// TestDatabaseRemovedUnderTheDaemonIsSaved: an operator cleaning up ran
// rm on the running daemon's syncd.db. The daemon answered 503 from then
// on, and syncd status said "stop syncd, put the file back (beside its
// -wal file)", but nothing was left to put back: the daemon held the only
// copy, gone as it stopped, with every lead answered 200. The daemon now
// saves what it holds beside the path at once; status says where and the
// commands that put it back, which, run once it is stopped, start syncd
// on every lead it answered 200.
func TestDatabaseRemovedUnderTheDaemonIsSaved(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml") // a fixed port: status finds the daemon there
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	path := filepath.Join(dir, "data", "syncd.db")
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	body, _ := os.ReadFile("../../testdata/webhooks/eaf/feed_import.json")
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, body); err != nil || a.Code != 503 {
		t.Fatalf("a delivery after the removal: %+v %v, want 503", a, err)
	}

	stdout, stderr, code := syncdRun(t, "status", "-config", config)
	if code != 5 {
		t.Errorf("status: exit %d, want 5\n%s%s", code, stdout, stderr)
	}
	saved := regexp.MustCompile(`everything it held is saved in (` + regexp.QuoteMeta(path) + `\.lost-\w+)\n`).FindStringSubmatch(stdout)
	if saved == nil {
		t.Fatalf("status names no copy of the database:\n%s%s", stdout, stderr)
	}
	putBack := "rm -f " + sq(path+"-wal") + " " + sq(path+"-shm") + " && mv " + sq(saved[1]) + " " + sq(path) + ";"
	if !strings.Contains(stdout, putBack) {
		t.Fatalf("status gives no way to put it back (%s):\n%s%s", putBack, stdout, stderr)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("sh", "-c", putBack[:len(putBack)-1]).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v: %s", putBack, err, out)
	}
	again := start(t, config)
	again.stop(t, syscall.SIGTERM)
	if evs := syncdJSON(t, "events", "list", "-json", "-config", config); len(evs) != 2 {
		t.Fatalf("%d events after putting the copy back, want the 2 answered 200", len(evs))
	}
}
