package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestRestartAfterTheDatabaseWasRemovedGivesTheWholeWayBack: the database
// removed under the daemon, which saved what it held beside it, then the
// daemon stopped (the watchdog's restart, systemctl stop): serve, validate
// and status, refusing the data directory whose database is gone, said to
// mv the saved copy back, and no more. Done so, the next start refused
// again, the copy now beside the removed file's -wal, saying to remove it
// if a backup had been restored, or to put back the database it belongs
// to, which was gone. They now give the command that removes that -wal
// and -shm as it puts the copy back, as the daemon's own line did, after
// which syncd starts with every lead.
func TestRestartAfterTheDatabaseWasRemovedGivesTheWholeWayBack(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
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
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The paths quoted for the shell; the copy's name ends in its time.
	way := "rm -f " + sq(path+"-wal") + " " + sq(path+"-shm") + " && mv " + sq(path+".lost-TIME") + " " + sq(path) + ";"
	putBack := regexp.MustCompile(strings.Replace(regexp.QuoteMeta(way), "TIME", `\w+`, 1))
	inLog := regexp.MustCompile(strings.Replace(regexp.QuoteMeta(inJSON(way)), "TIME", `\w+`, 1))
	out := serveRefused(t, config)
	cmd, err := strconv.Unquote(`"` + inLog.FindString(out) + `"`) // serve's log is JSON
	if cmd == "" || err != nil {
		t.Fatalf("serve refusing the data directory gives no way back with the -wal removed:\n%s", out)
	}
	if _, stderr, code := syncdRun(t, "validate", "-offline", "-config", config); code != 2 || !putBack.MatchString(stderr) {
		t.Errorf("validate: exit %d, want 2 and the way back:\n%s", code, stderr)
	}
	if _, stderr, code := syncdRun(t, "events", "list", "-config", config); code != 2 || !putBack.MatchString(stderr) {
		t.Errorf("events list: exit %d, want 2 and the way back:\n%s", code, stderr)
	}
	if sh, err := exec.Command("sh", "-c", strings.TrimSuffix(cmd, ";")).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v: %s", cmd, err, sh)
	}
	again := start(t, config)
	again.stop(t, syscall.SIGTERM)
	if evs := syncdJSON(t, "events", "list", "-json", "-config", config); len(evs) != 2 {
		t.Fatalf("%d events after putting the copy back, want the 2 answered 200", len(evs))
	}
}
