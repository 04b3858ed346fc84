package main_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/logtest"
)

// TestReloadOfADaemonStillStarting: a daemon started while its database
// does not answer (PostgreSQL not up yet) waits for it, answering 503. It
// keeps a SIGHUP for when it serves, but syncd reload waited the whole
// -wait for an answer the daemon could not give yet and failed, exit 1,
// "did not say within 90 seconds": a reload job failed for nothing. It
// says at once that the daemon still starts, waiting for its database
// and why, and that it loads the files as they are then, exit 0; or, the
// files not loading, their problems, exit 2, as the daemon will reject
// them.
func TestReloadOfADaemonStillStarting(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config, maps := editedMappingsListening(t, dir)
	raw, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	nobody := freeAddr(t) // nothing listens there: the daemon waits
	raw = append(raw, pgStore(t, dir, "postgres://syncd@"+nobody+"/syncd?connect_timeout=2")...)
	if err := os.WriteFile(config, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	var log logtest.Buffer
	serve := syncdCmd("serve", "-config", config)
	serve.Stdout, serve.Stderr = &log, &log
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		serve.Process.Kill()
		serve.Wait()
		if t.Failed() {
			t.Logf("the daemon's log:\n%s", log.String())
		}
	})
	waitFor(t, "serve to wait for the database", func() bool {
		return strings.Contains(log.String(), "start: waiting for the database to answer")
	})
	pid := strconv.Itoa(serve.Process.Pid)

	out, stderr, code := syncdRun(t, "reload", "-config", config, "-wait", "30s")
	if code != 0 {
		t.Errorf("reload of the daemon still starting: exit %d, want 0\n%s%s", code, out, stderr)
	}
	mustContain(t, "reload of the daemon still starting", out, "sent SIGHUP: the daemon (pid "+pid+") is still starting, waiting for its database since ",
		"nothing listens at that address and port", "it loads the files as they are then once it serves")

	breakYAML(t, filepath.Join(maps, "eaf.yaml"))
	out, stderr, code = syncdRun(t, "reload", "-config", config, "-wait", "30s")
	if code != 2 {
		t.Errorf("reload of the daemon still starting, a mapping broken: exit %d, want 2\n%s%s", code, out, stderr)
	}
	mustContain(t, "reload of the daemon still starting, a mapping broken", stderr, "is still starting, waiting for its database",
		"does NOT LOAD: the daemon will reject it once it serves", "eaf.yaml", "syncd validate -config "+sq(config))
	if err := serve.Process.Signal(syscall.Signal(0)); err != nil { // the signals kept for when it serves
		t.Errorf("the daemon did not keep waiting: %v", err)
	}
}
