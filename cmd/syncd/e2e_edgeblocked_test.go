package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestSyncEdgeBlockedSaysTheRateLimit: Pipedrive's edge answers a token
// that kept calling after 429s (syncd's, or another integration's on the
// same token) with a 403 HTML page. syncd sync said "the CRM failed the
// whole call: 403 Forbidden … see whether the CRM is down (its status page)
// or cannot be reached from this host (crm.pipedrive.base_url, DNS, a
// firewall or proxy)": none of which is the way out. It now says the rate
// limit refused the call, from when to call it again, and that nothing is
// to change.
func TestSyncEdgeBlockedSaysTheRateLimit(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token"})
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(pipedriveConfig(dir, url)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("crm setup: exit %d\n%s%s", code, out, stderr)
	}
	fake.AddFault(crmfake.Fault{Path: "/api/v2/persons/**", Action: crmfake.ActError, Status: 403, HTML: true})
	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitFor(t, "the daemon to try the CRM", func() bool { return strings.Contains(d.log(), "crm call failed as a whole") })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "sync", "-config", config)
	t.Logf("syncd sync, Pipedrive's edge answering 403: exit %d\n%s%s", code, out, stderr)
	mustContain(t, "what it says", out, "the CRM refused the whole call for its rate limit (",
		"403 Forbidden", "so this run stopped calling it: call it again from ", "nothing to change in syncd or the account", "0 dead")
	for _, w := range []string{"see whether the CRM is down", "base_url, DNS, a firewall"} {
		if strings.Contains(out, w) {
			t.Errorf("syncd sync says %q of a CRM whose edge blocked the token after 429s", w)
		}
	}
}
