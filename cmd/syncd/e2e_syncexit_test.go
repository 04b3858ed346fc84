package main_test

import (
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestSyncExitStatusTellsAScript: `syncd sync` from cron or a script says
// by its exit status whether the leads went out (0), wait for a person
// (5: the token rejected, the adapter paused; with no daemon serving the
// database, also the account's daily limit spent: nothing sends them
// after it but another syncd sync). It said 0 to all of them.
func TestSyncExitStatusTellsAScript(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	p := startPausedOnToken(t)
	if err := p.d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	sync := func(want int, says string, args ...string) {
		t.Helper()
		out, stderr, code := syncdRun(t, append([]string{"sync", "-config", p.config}, args...)...)
		if code != want || !strings.Contains(out, says) {
			t.Fatalf("sync %v: exit %d, want %d and %q\n%s%s", args, code, want, says, out, stderr)
		}
	}
	sync(5, "authentication rejected", "-resume") // the token is still wrong
	p.fixToken(t)
	sync(5, "authentication rejected") // still paused: nothing was sent
	p.fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/**", Action: crmfake.ActDailyLimit, Uses: 1})
	sync(5, "daily limit reached", "-resume") // no daemon sends them once the limit is back
	sync(0, "2 done", "-resume")
	if s := p.fake.State(); len(s.Contacts) != 1 || len(s.Deals) != 1 {
		t.Fatalf("after the syncs: %d contacts, %d deals", len(s.Contacts), len(s.Deals))
	}
}
