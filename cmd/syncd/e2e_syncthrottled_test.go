package main_test

import (
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestSyncThrottledSaysTheRateLimit: `syncd sync` whose whole call the CRM
// refused with 429 (its rate limit spent, by syncd or another integration
// on the account) said "the CRM failed the whole call: 429 Too Many
// Requests … if it does not answer, see whether the CRM is down (its
// status page) or cannot be reached from this host (crm.hubspot.base_url,
// DNS, a firewall or proxy)": the CRM did answer, and none of those is the
// way out. It now says the rate limit refused the call, from when to call
// it again, and that nothing is to change; nothing is dead.
func TestSyncThrottledSaysTheRateLimit(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	fake.AddFault(crmfake.Fault{Path: "/crm/v3/objects/**", Action: crmfake.ActRateLimit, RetryAfter: "120"})
	config := writeCRMConfig(t, t.TempDir(), url)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the daemon to try the CRM", func() bool { return strings.Contains(d.log(), "crm call failed as a whole") })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "sync", "-config", config)
	t.Logf("syncd sync, the CRM answering 429: exit %d\n%s%s", code, out, stderr)
	mustContain(t, "what it says", out, "the CRM refused the whole call for its rate limit (429 Too Many Requests)",
		"so this run stopped calling it: call it again from ", "nothing to change in syncd or the account", "0 dead")
	for _, w := range []string{"see whether the CRM is down", "base_url, DNS, a firewall"} {
		if strings.Contains(out, w) {
			t.Errorf("syncd sync says %q of a CRM that answered 429", w)
		}
	}
}
