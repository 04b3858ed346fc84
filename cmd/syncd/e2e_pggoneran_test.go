package main_test

import (
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestAGoneInstanceIsNotSaidUp: two instances on PostgreSQL, one killed
// (kill -9). syncd status listed it GONE, and "up" for as long as it
// had been started, still counting after it died. It says how long it
// ran until last seen, "ran", and "up" for the one that runs.
func TestAGoneInstanceIsNotSaidUp(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	cfgs := pgHosts(t, pgtest.DSN(t), "", "a", "b")
	a, b := start(t, cfgs[0]), start(t, cfgs[1])
	waitFor(t, "both instances seen", func() bool {
		out, _, _ := syncdRun(t, "status", "-config", cfgs[0])
		return strings.Contains(out, "cluster: 2 instances seen") && !strings.Contains(out, "silent")
	})
	b.stop(t, syscall.SIGKILL)

	out, errOut, _ := syncdRun(t, "status", "-config", cfgs[0])
	gone, runs := instanceLine(out, b.cmd.Process.Pid), instanceLine(out, a.cmd.Process.Pid)
	if !strings.Contains(gone, "(GONE: ") || strings.Contains(gone, "  up ") || !strings.Contains(gone, "  ran ") {
		t.Errorf("status after b was killed: b's line does not say GONE and how long it ran (ran, not up):\n%s%s", out, errOut)
	}
	if !strings.Contains(runs, "  up ") || strings.Contains(runs, "  ran ") {
		t.Errorf("status: a, running, is not said up:\n%s%s", out, errOut)
	}
}
