package main_test

import (
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestReloadRefusesANegativePid: with no daemon found from the
// configuration, syncd reload -pid -N found nothing in /proc to judge and
// sent SIGHUP to process group N; -pid -1 sends it to every process the
// user may signal, as root every process on the host, and SIGHUP ends most
// programs. A negative -pid is refused, exit 2, nothing signalled. The
// test gives the group of a sleep of its own, never -1.
func TestReloadRefusesANegativePid(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "")
	sleeper := exec.Command("sleep", "60")
	sleeper.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	ended := make(chan error, 1)
	go func() { ended <- sleeper.Wait() }()

	group := "-" + strconv.Itoa(sleeper.Process.Pid) // its own group: pgid = pid
	out, stderr, code := syncdRun(t, "reload", "-pid", group, "-config", config)
	if code != 2 || !strings.Contains(stderr, "-pid "+group+" is no process id") || !strings.Contains(stderr, "nothing signalled") {
		t.Errorf("reload -pid %s with no daemon: exit %d, want 2, nothing signalled\n%s%s", group, code, out, stderr)
	}
	// kill(2) queued any SIGHUP before syncd exited; of two pending signals
	// Linux delivers the lower first: SIGHUP (1) ends sleep before SIGTERM.
	sleeper.Process.Signal(syscall.SIGTERM)
	<-ended
	if ws, ok := sleeper.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGTERM {
		t.Errorf("the process group %s was signalled: sleep ended by %v, want by our SIGTERM", group, sleeper.ProcessState)
	}
}
