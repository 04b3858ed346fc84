package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCRMSetupSaysItWaitsForTheRateLimit: crm setup against an account
// with a low client-side rate limit (crm.hubspot.requests) waited for it
// without a word, 50 s at 5 requests per 10 s, and an operator took it for
// hung. It says now, as it waits, how long, before which call and why.
// The limit is 6 calls in 6 s for setup's 14 or so: a wait is said from
// 3 s on (minWaitSaid), so the window must leave 3 s after the calls
// however slow they are. With 15 in 4 s, and then 3 in 3 s, a race build
// on a loaded machine (a clean-clone .ci/run) made every wait shorter
// than that, and setup said none.
func TestCRMSetupSaysItWaitsForTheRateLimit(t *testing.T) {
	t.Parallel()
	_, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	cfg := strings.Replace(crmConfig(dir, fakeURL, e2eLBToken), "    token: fake-private-app-token\n",
		"    token: fake-private-app-token\n    requests: 6\n    window: 6s\n", 1)
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "crm", "setup", "-config", config)
	t.Logf("syncd crm setup, exit %d:\n%s%s", code, out, stderr)
	if code != 0 {
		t.Fatalf("crm setup: exit %d", code)
	}
	mustContain(t, "crm setup's stderr", stderr, "syncd crm setup: waiting ", "the rate limit allows 6 requests to hubspot per 6s",
		"crm.hubspot.requests, crm.hubspot.window")
}
