package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestEraseNamesTheCopySavedOfALostDatabase: a backup installed over the
// running daemon's syncd.db leaves beside it the copy the daemon saved of
// the database it held (syncd.db.lost-…), personal data included, which
// neither erase nor the retention purge reaches. erase said nothing of it;
// it now names it, to delete once it is not needed.
func TestEraseNamesTheCopySavedOfALostDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	backup := filepath.Join(dir, "backup.db")
	syncdOK(t, "backup", "-config", config, "-out", backup) // before Jane's lead
	jane := e2eJane.deliveries(t)[2]                        // her Estate Agent Feeds lead
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(jane[1])); err != nil || a.Code != 200 {
		t.Fatalf("Jane's lead: %+v %v", a, err)
	}
	path := filepath.Join(dir, "data", "syncd.db")
	if out, err := exec.Command("install", "-m", "0600", backup, path).CombinedOutput(); err != nil { // the daemon not stopped first
		t.Fatalf("install: %v: %s", err, out)
	}
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(jane[1])); err != nil || a.Code != 503 {
		t.Fatalf("a delivery after the restore: %+v %v, want 503", a, err)
	}
	d.stop(t, syscall.SIGTERM)
	saved := strings.TrimSpace(func() string {
		m, _ := filepath.Glob(path + ".lost-*")
		return strings.Join(m, " ")
	}())
	if saved == "" || len(e2eHits(t, saved, e2eJane.needles())) == 0 {
		t.Fatalf("no copy %q holding Jane's lead: the test proves nothing", saved)
	}
	for _, f := range []string{path + "-wal", path + "-shm"} { // the restore steps' rm -f
		os.Remove(f)
	}

	out := syncdOK(t, "erase", "-config", config, "-email", e2eJane.email)
	mustContain(t, "erase", out, "lost database copy: "+saved+", which syncd saved when its database was removed or "+
		"replaced under the daemon, may hold the person")
}
