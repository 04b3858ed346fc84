package main_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSecondDaemonOnOneDatabaseRefuses starts `syncd serve` twice on one
// configuration (each on a port of its own, so both could listen): the
// second must refuse, naming the first, instead of serving the same
// database beside it with its own reporter, purger and syncer. Once the
// first has stopped, a daemon starts again.
func TestSecondDaemonOnOneDatabaseRefuses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := writeConfig(t, dir)
	first := start(t, cfg)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := syncdCmdContext(ctx, "serve", "-config", cfg).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 { // not restarted by the unit: a person stops one
		t.Fatalf("second daemon: %v (want exit 2)\n%s", err, out)
	}
	want := "another syncd daemon (pid " + strconv.Itoa(first.cmd.Process.Pid) + ") is serving"
	if !strings.Contains(string(out), want) || strings.Contains(string(out), `"serving"`) {
		t.Fatalf("second daemon said:\n%s\nwant %q and no serving line", out, want)
	}
	body, err := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	if err != nil {
		t.Fatal(err)
	}
	if a, err := post(first.url+"/hooks/lokalebasen/"+e2eLBToken, body); err != nil || a.Status != "accepted" {
		t.Fatalf("first daemon after the refusal: %+v %v", a, err)
	}
	if err := first.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("first daemon stopped: %v", err)
	}
	again := start(t, cfg)
	again.stop(t, syscall.SIGTERM)
}
