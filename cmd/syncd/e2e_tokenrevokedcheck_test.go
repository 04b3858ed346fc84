package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCheckOfARevokedTokenSaysToPutANewOne: the token revoked in the CRM
// while syncd ran (its records made in the account), syncd crm check said
// to 'put a valid token with the scopes syncd needs': no scope makes a
// 401, and a Pipedrive API token has none. It says the CRM no longer takes
// the token, to put a valid one and reload the daemon, on HubSpot and
// Pipedrive alike.
func TestCheckOfARevokedTokenSaysToPutANewOne(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	for _, kind := range []string{crmfake.KindHubSpot, crmfake.KindPipedrive} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			var fake *crmfake.Server
			var config string
			if kind == crmfake.KindHubSpot {
				var url string
				fake, url = startFakeCRM(t, crmfake.Options{Kind: kind, Token: "fake-private-app-token"})
				config = writeCRMConfig(t, dir, url)
			} else {
				var url string
				fake, url = startFakeCRM(t, crmfake.Options{Kind: kind, Token: "fake-pipedrive-token", StrictSchema: true})
				config = filepath.Join(dir, "syncd.yaml")
				if err := os.WriteFile(config, []byte(pipedriveConfig(dir, url)), 0o600); err != nil {
					t.Fatal(err)
				}
				if out, stderr, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
					t.Fatalf("crm setup: exit %d\n%s%s", code, out, stderr)
				}
			}
			d := start(t, config)
			postTestdata(t, d, "lokalebasen/enquiry_created.json")
			waitForRecords(t, fake, d, 1, 1, "the lead")
			d.stop(t, syscall.SIGTERM)
			fake.AddFault(crmfake.Fault{Action: crmfake.ActError, Status: 401}) // the token revoked
			out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
			t.Logf("syncd crm check, exit %d:\n%s%s", code, out, stderr)
			if !strings.Contains(out, "the CRM no longer takes this token (revoked, expired, or mistyped): put a valid one in the configuration, "+
				"run the check again, then systemctl reload syncd so that the daemon takes it") || strings.Contains(out, "scopes") {
				t.Errorf("crm check of a revoked token does not say to put a valid one and reload, or speaks of scopes")
			}
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
		})
	}
}
