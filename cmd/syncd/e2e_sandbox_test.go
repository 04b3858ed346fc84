package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestSandboxTokenIsSaid: the token is one of the client's HubSpot
// sandbox (a test copy of the account, set up alike). The check passed,
// the leads went into the sandbox, and only the type in `crm check`'s
// first line ("(app-eu1.hubspot.com, SANDBOX, UTC)") told it; the daemon
// said nothing. `crm check` says under its first line what a sandbox is
// and what to do (exit 0 still: a staging syncd is sent there on
// purpose), and the daemon warns of it once.
func TestSandboxTokenIsSaid(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token", AccountType: "SANDBOX"})
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(config, []byte(crmConfig(dir, url, e2eLBToken)), 0o600)
	if out, stderr, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("crm setup: exit %d\n%s%s", code, out, stderr)
	}
	out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
	t.Logf("crm check, exit %d:\n%s%s", code, out, stderr)
	if code != 0 || !strings.Contains(out, "hub id 1234567 is a SANDBOX account, made for tests") {
		t.Errorf("crm check on a sandbox's token: exit %d; want 0, saying it is an account for tests", code)
	}
	d := start(t, config)
	waitFor(t, "the check at start", func() bool { return strings.Contains(d.log(), "crm check passed") })
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitForRecords(t, fake, d, 1, 1, "the lead")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(d.log(), "crm account for tests: hub id 1234567 is a SANDBOX account"); n != 1 {
		t.Errorf("the sandbox told %d times in the log; want once:\n%s", n, d.log())
	}
}
