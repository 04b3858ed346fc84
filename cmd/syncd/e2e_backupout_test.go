package main_test

import (
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestBackupOntoTheDatabaseRefused: `syncd backup -out` naming the
// database the daemon serves (as the restore steps' `install … syncd.db`
// line invites) used to exit 0 having renamed the copy over it: the daemon
// answered 503 from then on (database lost) and its WAL no longer matched
// the file. Now it exits 2 saying to write the copy elsewhere, and the
// daemon goes on storing.
func TestBackupOntoTheDatabaseRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	body := []byte(`{"event_type":"enquiry_created","payload":{"client":{"email":"bo@example.com"}}}`)
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, body); err != nil || a.Status != "accepted" {
		t.Fatalf("first delivery: %+v %v", a, err)
	}
	db := filepath.Join(dir, "data", "syncd.db")
	for _, out := range []string{db, filepath.Join(dir, "data", ".", "syncd.db-wal")} {
		stdout, stderr, code := syncdRun(t, "backup", "-config", config, "-out", out)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "write the copy elsewhere") {
			t.Fatalf("backup -out %s: exit %d\n%s%s", out, code, stdout, stderr)
		}
	}
	if resp, err := http.Get(d.url + "/readyz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("readyz after the refused backups: %v %v\n%s", resp, err, d.log())
	}
	body = []byte(`{"event_type":"enquiry_created","payload":{"client":{"email":"bo2@example.com"}}}`)
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, body); err != nil || a.Status != "accepted" {
		t.Fatalf("delivery after the refused backups: %+v %v", a, err)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if n := len(syncdJSON(t, "events", "list", "-json", "-config", config)); n != 2 {
		t.Fatalf("%d events after a restart, want 2", n)
	}
}
