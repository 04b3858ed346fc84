package main_test

import (
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
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
// the CRM, the call and crm.timeout; the check still ends by itself. A
// request refused at once is left to the result.
func TestCRMCheckSaysTheCRMDoesNotAnswer(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
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
	if n := strings.Count(stderr, "syncd crm check: no answer from hubspot to account_details after "); n != 4 {
		t.Fatalf("%d lines of a request without an answer on stderr, want 4 (the read and its 3 resends):\n%s", n, stderr)
	}
	mustContain(t, "stderr", stderr, "(crm.timeout: 300ms)")
	mustContain(t, "stdout", out, "hubspot account: not known (no answer from HubSpot within crm.timeout)")

	// A refused connection keeps nobody waiting: the result says it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close() // nothing listens there now
	// With a timeout a loaded machine cannot reach: a request failing
	// after half of it is said as unanswered, and a refused connection
	// took 200 ms of a 300 ms timeout in a full run at a load of 36.
	refused := strings.Replace(strings.Replace(yaml, "timeout: 300ms", "timeout: 10s", 1), url, "http://"+ln.Addr().String(), 1)
	if err := os.WriteFile(config, []byte(refused), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, _ = syncdRun(t, "crm", "check", "-config", config)
	if strings.Contains(stderr, "no answer") || !strings.Contains(out, "connection refused") {
		t.Fatalf("crm check on a refused connection:\n%s%s", out, stderr)
	}
}

// TestCtrlCOnCRMCheckSaysInterrupted: Ctrl-C (or SIGTERM) on `crm check`
// while the CRM was slow to answer printed a whole check's result, the
// account "not known (… context canceled)", a row saying the account
// cannot be read, "the account is not ready for the mappings", exit 2:
// what a script takes for a failed check. It says it was interrupted,
// exit 1, and prints no result; so does `crm setup`, instead of the
// CANCELED error of the call cut short.
func TestCtrlCOnCRMCheckSaysInterrupted(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := writeCRMConfig(t, t.TempDir(), url)
	for _, tc := range []struct{ sub, path string }{{"check", "/account-info/"}, {"setup", "/crm/v3/properties/"}} {
		fake.ClearFaults()
		fake.AddFault(crmfake.Fault{Path: tc.path + "**", Action: crmfake.ActHang})
		before := fake.CountRequests(http.MethodGet, tc.path, 0)
		cmd := syncdCmd("crm", tc.sub, "-config", config)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		waitFor(t, "crm "+tc.sub+"'s read", func() bool { return fake.CountRequests(http.MethodGet, tc.path, 0) > before })
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
		exit := <-done
		t.Logf("crm %s interrupted: %v\n%s%s", tc.sub, exit, stdout.String(), stderr.String())
		var ee *exec.ExitError
		if !errors.As(exit, &ee) || ee.ExitCode() != 1 || stderr.String() != "syncd crm "+tc.sub+": interrupted before the end\n" || stdout.String() != "" {
			t.Errorf("Ctrl-C on crm %s: %v, stdout %q, stderr %q; want exit 1, no result, and \"syncd crm %[1]s: interrupted before the end\"",
				tc.sub, exit, stdout.String(), stderr.String())
		}
	}
}
