package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestStatusExitTellsAMonitorWhatNeedsAttention: `syncd status` exits 0
// while all is well and 5 while something needs attention, so that a
// monitoring script can run it: here the database file renamed under the
// daemon (every delivery answered 503), and the daemon stopped. Before,
// status exited 0 in both, and with the database lost it said "running"
// and nothing else.
func TestStatusExitTellsAMonitorWhatNeedsAttention(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	addr := freeAddr(t)
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "listen: 127.0.0.1:0", "listen: "+addr, 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config)
	out, _, code := syncdRun(t, "status", "-config", config)
	if code != 0 || !strings.Contains(out, "running since") {
		t.Fatalf("status of a healthy daemon: exit %d\n%s", code, out)
	}

	db := filepath.Join(dir, "data", "syncd.db")
	if err := os.Rename(db, db+".moved"); err != nil {
		t.Fatal(err)
	}
	body, _ := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, body); err != nil || a.Code != 503 {
		t.Fatalf("delivery with the database lost: %+v %v", a, err)
	}
	out, _, code = syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.Contains(out, "database      LOST: its file was removed or renamed") {
		t.Fatalf("status with the database lost: exit %d, want 5 and the loss named\n%s", code, out)
	}

	d.stop(t, syscall.SIGTERM)
	if err := os.Rename(db+".moved", db); err != nil {
		t.Fatal(err)
	}
	out, _, code = syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.Contains(out, "no syncd answers at "+addr) {
		t.Fatalf("status with the daemon stopped: exit %d, want 5\n%s", code, out)
	}
}
