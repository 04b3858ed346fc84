package main_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestTooFewFilesForTheConnectionCapIsSaid starts the daemon under a limit
// of 256 open files, below what the default http.max_connections (512)
// needs: it says so at start, naming the setting and a value that fits;
// with max_connections lowered to fit, or without the limit, it says
// nothing of it. Under such a limit a flood of idle connections made
// accept fail ("too many open files") before the cap closed one for a
// newcomer, and senders and /healthz waited seconds, with nothing said.
func TestTooFewFilesForTheConnectionCapIsSaid(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("prlimit"); err != nil {
		t.Skip("prlimit (util-linux) not installed")
	}
	for _, c := range []struct {
		name, extra string
		limited     bool
		warned      bool
	}{
		{"the default cap under 256 files", "", true, true},
		{"a cap that fits under 256 files", "http:\n  max_connections: 192\n", true, false},
		{"the default cap without a limit", "", false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			config := writeConfigWith(t, t.TempDir(), c.extra)
			cmd := syncdCmd("serve", "-config", config)
			if c.limited {
				cmd = exec.Command("prlimit", append([]string{"--nofile=256:256", cmd.Path}, cmd.Args[1:]...)...)
			}
			d := startCmd(t, cmd)
			if err := d.stop(t, 15); err != nil {
				t.Fatalf("stop: %v\n%s", err, d.log())
			}
			logs := d.log()
			warned := strings.Contains(logs, "may open only 256 files")
			if warned != c.warned {
				t.Fatalf("warned of the file limit: %v, want %v\n%s", warned, c.warned, logs)
			}
			if warned && !strings.Contains(logs, "set http.max_connections to 192 or less") {
				t.Errorf("the warning names no value that fits:\n%s", logs)
			}
		})
	}
}
