package main_test

import (
	"strings"
	"testing"
)

// TestSyncSaysWhatACRMOutageLeaves: `syncd sync` with the CRM refusing
// connections logged the daemon's words, "crm call failed as a whole,
// cooling down … failed_calls=1 … until=2026-12-01T09:39:50Z": a
// cool-down of a process that ends with its run, which no run of the
// operator's waits for, and nothing to do. It now says that the run
// stopped calling the CRM and what it claimed stays pending, why (the
// error), and on stdout what to look at (the CRM down, or base_url, DNS,
// a firewall) and what sends what waits.
func TestSyncSaysWhatACRMOutageLeaves(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config := leadWithTheCRMDown(t)
	out, stderr, code := syncdRun(t, "sync", "-config", config)
	t.Logf("syncd sync, the CRM refusing connections: exit %d\n%s%s", code, out, stderr)
	if code != 5 {
		t.Errorf("exit %d, want 5 (no daemon sends what is left)", code)
	}
	mustContain(t, "its log", stderr, "syncd sync: warning: crm call failed as a whole: this run calls the CRM no more, and what it claimed stays pending",
		"connect: connection refused")
	// Nor of the account's time zone not read, which the outage is the
	// cause of (TestZoneUnknownInAnOutageIsNoWarning).
	for _, w := range []string{"cooling down", "until=", "failed_calls=", "time zone unknown"} {
		if strings.Contains(stderr, w) {
			t.Errorf("its log says %q, of a cool-down that ends with the command", w)
		}
	}
	mustContain(t, "what it says", out, "the CRM failed the whole call: no answer (", "this run stopped calling it",
		"goes out with a syncd sync run once it answers", "crm.hubspot.base_url, DNS, a firewall or proxy", "syncd crm check says when it answers")
}
