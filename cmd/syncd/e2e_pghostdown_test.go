package main_test

import (
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestStatusOnAHostWhoseInstanceIsDown: two instances on PostgreSQL, each
// on a fixed port, and the one on host b stopped. syncd status run on b
// (its configuration) said "no syncd answers at ADDR" and exited 0, as
// the other ran: a monitoring check run on each host never told b down,
// while a load balancer that does not skip it fails the deliveries it
// sends there. It says this host's instance is down, exit 5; on a, exit 0.
func TestStatusOnAHostWhoseInstanceIsDown(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	cfgs := pgHosts(t, pgtest.DSN(t), "", "a", "b")
	addrs := make([]string, len(cfgs))
	for i, cfg := range cfgs {
		yaml, _ := os.ReadFile(cfg)
		addrs[i] = freeAddr(t)
		os.WriteFile(cfg, []byte(strings.Replace(string(yaml), "listen: 127.0.0.1:0", "listen: "+addrs[i], 1)), 0o600)
	}
	start(t, cfgs[0])
	b := start(t, cfgs[1])
	b.stop(t, syscall.SIGTERM)

	out, errOut, code := syncdRun(t, "status", "-config", cfgs[1])
	if code != 5 || !strings.Contains(out, "THIS HOST'S INSTANCE DOWN: no syncd answers at "+addrs[1]+"; 1 other instance runs") {
		t.Errorf("status on b, its instance stopped, a running: exit %d, want 5 and b said down\n%s%s", code, out, errOut)
	}
	out, errOut, code = syncdRun(t, "status", "-config", cfgs[0])
	if code != 0 || strings.Contains(out, "INSTANCE DOWN") {
		t.Errorf("status on a, running: exit %d, want 0\n%s%s", code, out, errOut)
	}
}
