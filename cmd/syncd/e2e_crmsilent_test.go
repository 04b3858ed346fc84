package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCRMCheckSaysTheCRMDoesNotAnswer: against a CRM that takes the
// connection and never answers (a proxy or firewall swallowing the
// requests), each read of `crm check` waits out crm.timeout, and is sent
// again up to three times: with the default 30 s, two minutes per read,
// several reads, and not a word on the terminal until the end. Each
// request without an answer is now said on stderr as it happens, naming
// the CRM, the call and crm.timeout; the check still ends by itself.
func TestCRMCheckSaysTheCRMDoesNotAnswer(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	fake.AddFault(crmfake.Fault{Path: "/account-info/**", Action: crmfake.ActHang, Uses: 4}) // one read: its four tries
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(crmConfig(dir, url, e2eLBToken), "crm:\n", "crm:\n  timeout: 300ms\n", 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
	t.Logf("crm check, exit %d:\n%s%s", code, out, stderr)
	if n := strings.Count(stderr, "syncd: no answer from hubspot to account_details after "); n != 4 {
		t.Fatalf("%d lines of a request without an answer on stderr, want 4 (the read and its 3 resends):\n%s", n, stderr)
	}
	mustContain(t, "stderr", stderr, "(crm.timeout: 300ms)")
	mustContain(t, "stdout", out, "hubspot account: not known (account details: crm 0 NETWORK")
}
