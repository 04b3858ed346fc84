package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// TestReloadAndStatusOnAnotherFileThanTheDaemons: beside a daemon started
// by hand on one file, syncd reload -config OTHER (the same data_dir)
// signalled the daemon, which loaded its own file again, and printed
// "reloaded", exit 0: the operator took OTHER for loaded. It refuses now,
// exit 2, naming both files, nothing signalled. Status on OTHER broken
// said the daemon "runs on the configuration it loaded before", with no
// NOT THE DAEMON'S line; it has the line now. And a daemon started by
// hand was advised systemctl reload syncd on its own broken file, and
// systemctl restart syncd for a listen changed, which reach no unit's
// daemon: now syncd reload -config FILE, and kill PID then the command
// line it was started with, from its record, by status and reload alike.
func TestReloadAndStatusOnAnotherFileThanTheDaemons(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	listen := freeAddr(t)
	own := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "listen: 127.0.0.1:0", "listen: "+listen, 1)
	daemonFile := filepath.Join(dir, "syncd.yaml")
	write := func(file, yaml string) {
		t.Helper()
		if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(daemonFile, own)
	other := filepath.Join(dir, "other.yaml") // the same data_dir, another address
	write(other, strings.Replace(own, listen, freeAddr(t), 1))
	d := start(t, daemonFile, "INVOCATION_ID=", "NOTIFY_SOCKET=") // by hand, in a shell
	defer d.stop(t, syscall.SIGTERM)
	pid := d.cmd.Process.Pid
	words := fmt.Sprintf("the daemon (pid %d) serving %s runs on %s, not on -config %s: give -config %s",
		pid, filepath.Join(dir, "data", "syncd.db"), daemonFile, other, sq(daemonFile))

	out, stderr, code := syncdRun(t, "reload", "-config", other)
	if code != 2 || out != "" || !strings.Contains(stderr, "syncd reload: refused: "+words+"; nothing signalled") {
		t.Errorf("reload on another file than the daemon's: exit %d\n%s%s", code, out, stderr)
	}
	if strings.Contains(d.log(), `"reloaded"`) {
		t.Errorf("the daemon was signalled by a reload refused:\n%s", d.log())
	}
	if out, stderr, code = syncdRun(t, "reload", "-config", daemonFile); code != 0 || !strings.Contains(out, "reloaded: ") {
		t.Errorf("reload on the daemon's file: exit %d\n%s%s", code, out, stderr)
	}

	write(other, strings.Replace(own, "kind: eaf", "kind: eafx", 1)) // does not load
	out, stderr, code = syncdRun(t, "status", "-config", other)
	if code != 5 || !strings.Contains(out, "config        NOT THE DAEMON'S: "+words+"\n") ||
		!strings.Contains(out, "runs on its own file, not this one\n") || strings.Contains(out, "loaded before") {
		t.Errorf("status on another file that does not load: exit %d\n%s%s", code, out, stderr)
	}

	write(daemonFile, own+"bogus_key: 1\n") // its own file broken: reloaded as it was started
	out, stderr, code = syncdRun(t, "status", "-config", daemonFile)
	if code != 5 || !strings.Contains(out, "fix it, then syncd reload -config "+sq(daemonFile)) || strings.Contains(out, "systemctl") {
		t.Errorf("status of a daemon started by hand, its file broken: exit %d\n%s%s", code, out, stderr)
	}

	write(daemonFile, strings.Replace(own, listen, freeAddr(t), 1)) // listen changed: a restart moves it
	// Started here: the daemon's working directory is the test's.
	wd, _ := os.Getwd()
	restart := regexp.MustCompile(regexp.QuoteMeta(fmt.Sprintf("; a restart (kill %d, then start it again as it was started, in ", pid) +
		sq(wd) + ": " + sq(d.cmd.Path) + " serve -config " + sq(daemonFile) + ") moves it to the file's\n"))
	out, stderr, code = syncdRun(t, "status", "-config", daemonFile)
	if !restart.MatchString(out) || strings.Contains(out, "systemctl") {
		t.Errorf("status of a daemon started by hand, its listen changed: exit %d\n%s%s", code, out, stderr)
	}
	out, stderr, code = syncdRun(t, "reload", "-config", daemonFile) // the listen is taken by a restart alone
	if code != 0 || !strings.Contains(out, fmt.Sprintf("a reload does not take them; kill %d, then start it again as it was started, in ", pid)) ||
		strings.Contains(out, "systemctl") {
		t.Errorf("reload of a daemon started by hand, its listen changed: exit %d\n%s%s", code, out, stderr)
	}
}
