package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestDirectoriesServeCannotMakeAreSaid: a data_dir or a report.dir that
// serve must make, in a directory its user may not write (here root's,
// serve run as postgres). validate said "ok" and "not there yet: serve
// creates it"; serve then stopped with "open db: data directory: mkdir
// DIR: permission denied", and of the reports directory warned
// "reports directory lock: mkdir DIR: permission denied" and went on, to
// fail the report at its hour. validate now warns of each, and serve names
// the directory in the way, whose it is, its mode and what to do.
func TestDirectoriesServeCannotMakeAreSaid(t *testing.T) {
	t.Parallel()
	as := otherUser(t)
	dir, bin, config := accessDir(t, as, "report:\n  dir: DIR/reports\n")
	reports := filepath.Join(dir, "reports")
	data := filepath.Join(dir, "data")
	cmd := func(args ...string) *exec.Cmd {
		c := exec.Command(bin, append(args, "-config", config)...)
		c.SysProcAttr = &syscall.SysProcAttr{Credential: as}
		return c
	}
	run := func(args ...string) (string, int) {
		c := cmd(args...)
		out, _ := c.CombinedOutput()
		return string(out), c.ProcessState.ExitCode()
	}
	inTheWay := "cannot write " + dir + " (owned by root, mode 0755) as postgres: run the command as root, or let postgres write it"

	out, code := run("validate")
	if code != 0 || !strings.Contains(out, "warning: data_dir "+data+": "+inTheWay) ||
		!strings.Contains(out, "warning: report.dir "+reports+": "+inTheWay) {
		t.Errorf("validate, neither directory makeable: exit %d\n%s", code, out)
	}
	out, code = run("serve")
	if code != 2 || !strings.Contains(out, "open db: data directory: "+inTheWay) {
		t.Errorf("serve, data_dir not makeable: exit %d\n%s", code, out)
	}

	if os.Mkdir(data, 0o750) != nil || os.Chown(data, int(as.Uid), int(as.Gid)) != nil {
		t.Fatal("cannot make postgres a data directory")
	}
	out, code = run("validate")
	if code != 0 || strings.Contains(out, "warning: data_dir") || !strings.Contains(out, "warning: report.dir "+reports+": "+inTheWay) {
		t.Errorf("validate, report.dir not makeable: exit %d\n%s", code, out)
	}
	d := startCmd(t, cmd("serve"))
	if err := d.stop(t, syscall.SIGTERM); err != nil || !strings.Contains(d.log(), "reports directory lock: "+inTheWay) {
		t.Errorf("serve, report.dir not makeable: %v\n%s", err, d.log())
	}
}
