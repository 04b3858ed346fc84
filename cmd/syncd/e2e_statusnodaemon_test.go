package main_test

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestStatusSaysWhetherADaemonThatDoesNotAnswerRuns: with no daemon
// answering, syncd status said "no syncd answers at ADDR: figures from the
// database", exit 5, and nothing else, whether the daemon was stopped (the
// operator read nothing of starting it) or ran without answering, stopped
// by a signal or hung, which read as if none ran. It says which, from the
// daemon's lock, and what to do of each, naming another program that
// listens at the file's listen, where syncd would not start.
func TestStatusSaysWhetherADaemonThatDoesNotAnswerRuns(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	addr := freeAddr(t)
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "listen: 127.0.0.1:0", "listen: "+addr, 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config)
	pid := strconv.Itoa(d.cmd.Process.Pid)

	if err := d.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "status", "-config", config)
	d.cmd.Process.Signal(syscall.SIGCONT)
	// It was started by hand (as start starts it): no unit restarts it, nor
	// has a journal of it (status said "journalctl -u syncd", "systemctl
	// restart syncd", where it says so of a daemon that answers).
	if code != 5 || !strings.Contains(out, "no syncd answers at "+addr) ||
		!strings.Contains(out, "; a syncd daemon (pid "+pid+") serves it all the same, and does not answer: stopped by a signal, hung") ||
		!strings.Contains(out, "it was started by hand, not by systemd: its output says what it did last; if it stays so, kill "+pid+
			", then start it again as it was started") || strings.Contains(out, "systemctl restart syncd") || strings.Contains(out, "journalctl") {
		t.Fatalf("status of a daemon started by hand, stopped by SIGSTOP: exit %d\n%s%s\nwant exit 5, the daemon pid %s said to run "+
			"without answering, and to restart it as it was started", code, out, stderr, pid)
	}

	d.stop(t, syscall.SIGTERM)

	// Started by systemd, its unit restarts it and its journal has its log.
	d = start(t, config, "INVOCATION_ID=0123456789abcdef")
	if err := d.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = syncdRun(t, "status", "-config", config)
	d.cmd.Process.Signal(syscall.SIGCONT)
	if code != 5 || !strings.Contains(out, "journalctl -u syncd says what it did last; if it stays so, systemctl restart syncd") {
		t.Fatalf("status of a daemon systemd started, stopped by SIGSTOP: exit %d\n%s%s\nwant its journal and systemctl restart", code, out, stderr)
	}
	d.stop(t, syscall.SIGTERM)

	out, stderr, code = syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.Contains(out, "no syncd answers at "+addr) ||
		!strings.Contains(out, "; no syncd daemon serves it: start it (systemctl start syncd; by hand, syncd serve -config "+sq(config)+")") {
		t.Fatalf("status with the daemon stopped: exit %d\n%s%s\nwant exit 5 and how to start it", code, out, stderr)
	}

	// Another program at the file's listen: syncd would not start there.
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	other := &http.Server{Handler: http.NotFoundHandler()}
	go other.Serve(ln)
	defer other.Close()
	out, stderr, code = syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.Contains(out, "; no syncd daemon serves it, and another program listens at "+addr+
		", the file's listen, where syncd could not: stop that one (ss -ltnp names it) or give syncd another listen, then start it") {
		t.Fatalf("status with another program at the daemon's address: exit %d\n%s%s", code, out, stderr)
	}
}
