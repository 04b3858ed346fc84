package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestServeFreshOrWALLostAsRootSaysTheServicesWay: the service refused its
// database (lost, or moved without its daemon's write-ahead log) and said to
// start with -fresh or -wal-lost; `sudo syncd serve -fresh` (or -wal-lost)
// on the service's data directory was refused, as serve run as root is
// there, naming `systemctl start syncd` and `runuser -u syncd -- syncd
// serve -config …`, without the flag: both refused the database again, and
// the operator had no way on. Refused now, it names the way that works for
// the service: syncd accept-restore, run as root, for -wal-lost; for
// -fresh, the marker to remove, after which the service starts with an
// empty database. Here the service's user is postgres.
func TestServeFreshOrWALLostAsRootSaysTheServicesWay(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace) // three starts of the daemon
	as := otherUser(t)
	dir, bin, config := accessDir(t, as, "")
	data := filepath.Join(dir, "data")
	db := filepath.Join(data, "syncd.db")
	if os.Mkdir(data, 0o751) != nil || os.Chown(data, int(as.Uid), int(as.Gid)) != nil {
		t.Fatal("cannot make the service's data directory")
	}
	service := func() *exec.Cmd {
		cmd := exec.Command(bin, "serve", "-config", config)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: as}
		return cmd
	}
	asRoot := func(args ...string) (string, int) {
		cmd := exec.Command(bin, args...)
		out, _ := cmd.CombinedOutput()
		return string(out), cmd.ProcessState.ExitCode()
	}

	d := startCmd(t, service())
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	d.cmd.Process.Kill()
	<-d.done
	if os.Remove(db+"-wal") != nil || os.Remove(db+"-shm") != nil { // the -wal lost: a copy of syncd.db alone put back
		t.Fatal("the killed daemon left no -wal and -shm")
	}
	out, code := asRoot("serve", "-wal-lost", "-config", config)
	want := "take the database for a restored backup with syncd accept-restore, which root may run (it keeps the files' " +
		"owner): syncd accept-restore -config " + sq(config) + "; then start the service (systemctl start syncd)"
	if code != 2 || !strings.Contains(out, inJSON(want)) { // the daemon's log: JSON
		t.Fatalf("serve -wal-lost as root on postgres's data directory: exit %d, want 2 saying %q\n%s", code, want, out)
	}
	if out, code := asRoot("accept-restore", "-config", config); code != 0 || !strings.Contains(out, "accepted "+db) {
		t.Fatalf("accept-restore as root, as the refusal says: exit %d\n%s", code, out)
	}
	d = startCmd(t, service())
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("the service after accept-restore as root: %v\n%s", err, d.log())
	}

	if err := os.Remove(db); err != nil { // the database lost
		t.Fatal(err)
	}
	out, code = asRoot("serve", "-fresh", "-config", config)
	marker := filepath.Join(data, ".syncd.db.created")
	want = "to have the service begin with an empty database, remove the marker that keeps it from making one where " +
		"syncd.db was (what -fresh overrides), as root: rm " + sq(marker) + "; then start the service (systemctl start syncd)"
	if code != 2 || !strings.Contains(out, inJSON(want)) {
		t.Fatalf("serve -fresh as root on postgres's data directory: exit %d, want 2 saying %q\n%s", code, want, out)
	}
	if _, err := os.Stat(db); err == nil {
		t.Fatal("serve -fresh as root, refused, made a database of root's")
	}
	if out, err := exec.Command("sh", "-c", "rm "+sq(marker)).CombinedOutput(); err != nil {
		t.Fatalf("rm %s: %v: %s", marker, err, out)
	}
	d = startCmd(t, service())
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("the service after the marker was removed: %v\n%s", err, d.log())
	}
	if !strings.Contains(d.log(), "no database in data_dir: created an empty one") {
		t.Errorf("the service after the marker was removed did not begin with an empty database:\n%s", d.log())
	}
}
