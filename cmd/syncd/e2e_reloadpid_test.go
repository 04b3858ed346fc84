package main_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestReloadSignalsNoProcessButTheDaemon: syncd reload -pid sent SIGHUP
// to whatever process -pid named, a daemon answering from the
// configuration as another pid or no daemon at all, and said exit 0: a
// pid mistyped, or one left from a daemon restarted since, ended an
// operator's program (SIGHUP ends most) and reloaded nothing. A -pid that
// is not the daemon found from the configuration, or, none found, not a
// syncd serve, is refused, exit 2, nothing signalled; the daemon's own pid
// still reloads it.
func TestReloadSignalsNoProcessButTheDaemon(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config, _ := editedMappingsListening(t, dir)
	d := start(t, config)
	pid := strconv.Itoa(d.cmd.Process.Pid)

	// A bystander that SIGHUP would end.
	bystander := exec.Command("sleep", "300")
	if err := bystander.Start(); err != nil {
		t.Fatal(err)
	}
	other := strconv.Itoa(bystander.Process.Pid)
	defer bystander.Process.Kill()

	out, stderr, code := syncdRun(t, "reload", "-config", config, "-pid", other)
	if code != 2 || !strings.Contains(stderr, "syncd reload: -pid "+other+" is not the daemon of "+config+
		": the syncd at ") || !strings.Contains(stderr, "is pid "+pid+"; nothing signalled") {
		t.Fatalf("reload -pid of another process beside the daemon: exit %d\n%s%s\nwant exit 2, the daemon's pid %s named", code, out, stderr, pid)
	}
	if out, stderr, code = syncdRun(t, "reload", "-config", config, "-pid", pid); code != 0 ||
		!strings.Contains(out, "reloaded: the daemon (pid "+pid+")") {
		t.Fatalf("reload -pid of the daemon: exit %d\n%s%s", code, out, stderr)
	}

	d.stop(t, syscall.SIGTERM)
	out, stderr, code = syncdRun(t, "reload", "-config", config, "-pid", other)
	if code != 2 || !strings.Contains(stderr, "syncd reload: -pid "+other+` is not a syncd daemon (it runs "sleep", not syncd serve); nothing signalled`) {
		t.Fatalf("reload -pid of another process, no daemon running: exit %d\n%s%s\nwant exit 2, nothing signalled", code, out, stderr)
	}

	// Had either reload signalled the bystander, it died of that SIGHUP,
	// pending before the SIGTERM sent now (the lower signal goes first).
	bystander.Process.Signal(syscall.SIGTERM)
	err := bystander.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("the bystander: %v", err)
	}
	if ws, ok := exit.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGTERM {
		t.Fatalf("the bystander ended by %v, want the test's SIGTERM: syncd reload signalled it", exit)
	}
}

// TestReloadNamesTheFileTheDaemonLoads: a daemon loads again the file it
// started with. syncd reload -config COPY, of an edited copy beside the
// daemon's own file sharing its database, said "reloaded: the daemon runs
// on COPY", though the edits reached nothing; then it named the daemon's
// own file, and warned, after the daemon had reloaded. It refuses now,
// exit 2, naming the daemon's own file, nothing signalled.
func TestReloadNamesTheFileTheDaemonLoads(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config, _ := editedMappingsListening(t, dir)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	raw, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	edited := filepath.Join(dir, "syncd-edited.yaml")
	if err := os.WriteFile(edited, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "reload", "-config", edited)
	if code != 2 || out != "" || !strings.Contains(stderr, "refused: the daemon (pid "+strconv.Itoa(d.cmd.Process.Pid)+") serving ") ||
		!strings.Contains(stderr, " runs on "+config+", not on -config "+edited+": give -config "+sq(config)+"; nothing signalled") {
		t.Fatalf("reload -config of a copy of the daemon's file: exit %d\n%s%s\nwant the daemon's own file %s named", code, out, stderr, config)
	}
}
