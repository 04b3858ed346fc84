package main_test

import (
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestAKilledInstanceIsNotSaidToLead: on PostgreSQL, the instance leading
// the sync and the report killed (kill -9): its locks go with its
// sessions at once, but its row still named it leader, so syncd status
// said "leads report,sync" of it until another instance's heartbeat
// claimed them (2 to 4 s with another running; 10 s, its heartbeat
// silent that long, with none). Status now shows a part led only while
// its lock is held.
func TestAKilledInstanceIsNotSaidToLead(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	cfgs := pgHosts(t, pgtest.DSN(t), "", "a")
	a := start(t, cfgs[0])
	waitFor(t, "a to lead the sync and the report", func() bool {
		out, _, _ := syncdRun(t, "status", "-config", cfgs[0])
		return strings.Contains(out, "leads report,sync")
	})
	a.stop(t, syscall.SIGKILL)
	out, errOut, _ := syncdRun(t, "status", "-config", cfgs[0])
	if !strings.Contains(out, "cluster: 1 instance seen") || strings.Contains(out, "leads report") || strings.Contains(out, "leads sync") {
		t.Errorf("status right after the leader was killed: it is said to lead\n%s%s", out, errOut)
	}
}
