package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReportAsRootMakesTheReportsDirectoryTheServices: `sudo syncd report`
// where the reports directory is not there yet (on PostgreSQL the daemon
// makes it only at its first report; a report.dir changed) made it root's,
// and the daemon, running as the database's owner (here postgres), could
// write no report there after: every daily report failed, naming the
// directory. The report made as root now makes the directory the
// database's owner's, as the daemon would have, and reports made as that
// user after it are written there.
func TestReportAsRootMakesTheReportsDirectoryTheServices(t *testing.T) {
	t.Parallel()
	as := otherUser(t)
	dir, bin, config := accessDir(t, as, "report:\n  dir: DIR/data/agency/reports\n")
	makeDB(t, dir)
	data := filepath.Join(dir, "data")
	filepath.Walk(data, func(p string, _ os.FileInfo, _ error) error { return os.Chown(p, int(as.Uid), int(as.Gid)) })
	if out, err := exec.Command(bin, "report", "-config", config, "-date", "2026-11-27").CombinedOutput(); err != nil {
		t.Fatalf("report as root: %v\n%s", err, out)
	}
	for _, p := range []string{filepath.Join(data, "agency"), filepath.Join(data, "agency", "reports")} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		sys := st.Sys().(*syscall.Stat_t)
		if sys.Uid != as.Uid || sys.Gid != as.Gid || st.Mode().Perm() != 0o750 {
			t.Errorf("%s made by report as root: owner %d:%d, mode %04o; want the database's owner %d:%d, 0750",
				p, sys.Uid, sys.Gid, st.Mode().Perm(), as.Uid, as.Gid)
		}
	}
	cmd := exec.Command(bin, "report", "-config", config, "-date", "2026-11-28")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: as}
	out, _ := cmd.CombinedOutput()
	made := filepath.Join(data, "agency", "reports", "leads-2026-11-28.xlsx")
	if code := cmd.ProcessState.ExitCode(); code != 0 || !strings.Contains(string(out), made) {
		t.Errorf("report as postgres after root's first report: exit %d, want 0 writing %s\n%s", code, made, out)
	}
}

// TestServiceToldToTakeBackItsReportsDirectory: the service (systemd gives
// it $INVOCATION_ID, and its state directory, the data directory, in
// $STATE_DIRECTORY; here run as postgres) that cannot write its reports
// directory, root's (made with mkdir), warned at start, and failed each
// daily report, saying "run the command as root, or let postgres write it":
// the service is not run as root (serve refuses root on the service's
// data). It now names the chown that gives the directory back, which, run,
// lets its reports be written.
func TestServiceToldToTakeBackItsReportsDirectory(t *testing.T) {
	t.Parallel()
	as := otherUser(t)
	dir, bin, config := accessDir(t, as, "")
	makeDB(t, dir)
	data := filepath.Join(dir, "data")
	filepath.Walk(data, func(p string, _ os.FileInfo, _ error) error { return os.Chown(p, int(as.Uid), int(as.Gid)) })
	reports := filepath.Join(data, "reports")
	if err := os.Mkdir(reports, 0o750); err != nil { // as root
		t.Fatal(err)
	}
	asService := func(args ...string) *exec.Cmd {
		cmd := exec.Command(bin, append(args, "-config", config)...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: as}
		cmd.Env = append(os.Environ(), "INVOCATION_ID=0123456789abcdef", "STATE_DIRECTORY="+data)
		return cmd
	}
	chown := "chown postgres " + sq(reports)
	want := "cannot write " + reports + " (owned by root, mode 0750) as postgres, the user the service runs as: give it to " +
		"postgres, as root: " + chown + " ("
	d := startCmd(t, asService("serve"))
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if log := d.log(); !strings.Contains(log, inJSON(want)) || strings.Contains(log, "run the command as root") {
		t.Errorf("the service's warning of root's reports directory: want %q, and no \"run the command as root\"\n%s", want, log)
	}
	cmd := asService("report", "-date", "2026-11-28")
	out, _ := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(string(out), want) {
		t.Errorf("a report made under the service into root's reports directory: exit %d, want 1 saying %q\n%s", code, want, out)
	}
	if out, err := exec.Command("sh", "-c", chown).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v: %s", chown, err, out)
	}
	cmd = asService("report", "-date", "2026-11-28")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("a report made under the service after %s: %v\n%s", chown, err, out)
	}
}
