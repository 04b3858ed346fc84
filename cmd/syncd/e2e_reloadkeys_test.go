package main_test

import (
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestReloadNamesEachKeyARestartTakes: an operator rotates the CRM's
// token, which a reload takes, and changes crm.timeout in the same edit.
// The reload said "read only at start: crm: the daemon runs on them as it
// started, a reload does not take them", as if the token were not taken,
// and status the same. They name the key the restart takes, crm.timeout,
// while the daemon uses the new token.
func TestReloadNamesEachKeyARestartTakes(t *testing.T) {
	t.Parallel()
	_, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot}) // any token
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, fakeURL, false)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)

	raw, _ := os.ReadFile(config)
	edited := strings.NewReplacer("  kind: hubspot\n", "  kind: hubspot\n  timeout: 45s\n",
		"token: fake-private-app-token", "token: fake-private-app-token-rotated").Replace(string(raw))
	if err := os.WriteFile(config, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "reload", "-config", config)
	const waits = "read only at start: crm.timeout: the daemon runs on them as it started"
	if code != 0 || !strings.Contains(out, waits) {
		t.Fatalf("reload of a new token and crm.timeout: exit %d\n%s%s\nwant exit 0 and %q", code, out, stderr, waits)
	}
	if !strings.Contains(d.log(), "crm token reloaded") {
		t.Fatalf("the token was not taken:\n%s", d.log())
	}
	if out, _, _ := syncdRun(t, "status", "-config", config); !strings.Contains(out, waits) {
		t.Fatalf("status after the reload:\n%s\nwant %q", out, waits)
	}
}
