package main_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestStatusAfterSyncResumeSaysThePauseIsLifted: a fresh HubSpot account
// pauses the adapter at the first lead (a syncd_* property missing); the
// operator does as docs/troubleshooting.md says, `syncd crm setup`, then
// `syncd sync -resume`, which sends the lead. Until the daemon's next sync
// run (sync.schedule: a minute in the example) its status then said
// "adapters  hubspot: PAUSED", no reason, no end, nothing to do, exit 5:
// the daemon still held the pause the command had lifted in the database.
// It now says the pause was lifted and that the daemon takes that at its
// next sync run.
func TestStatusAfterSyncResumeSaysThePauseIsLifted(t *testing.T) {
	t.Parallel()
	all := []string{"crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.deals.read",
		"crm.objects.deals.write", "crm.schemas.contacts.read", "crm.schemas.contacts.write", "crm.schemas.deals.read",
		"crm.schemas.deals.write", "crm.objects.owners.read"}
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token",
		Scopes: slices.DeleteFunc(slices.Clone(all), func(s string) bool { return s == "crm.objects.contacts.write" })})
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(crmConfig(dir, fakeURL, e2eLBToken), `schedule: "@every 1s"`, `schedule: "@every 1h"`, 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, _, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("crm setup: exit %d\n%s", code, out)
	}
	d := start(t, config)
	defer func() {
		if t.Failed() {
			t.Log(d.log())
		}
	}()
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the adapter to pause on the missing scope", func() bool {
		return strings.Contains(d.log(), "crm adapter paused")
	})
	fake.SetScopes(all)
	if out, _, code := syncdRun(t, "sync", "-resume", "-config", config); code != 0 || !strings.Contains(out, "0 dead") {
		t.Fatalf("sync -resume: exit %d\n%s", code, out)
	}
	out, _, _ := syncdRun(t, "status", "-config", config)
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "adapters") && strings.HasSuffix(strings.TrimSpace(l), "PAUSED") {
			t.Errorf("status says PAUSED alone after sync -resume:\n%s", out)
		}
	}
	mustContain(t, "status after sync -resume", out, "the pause was lifted (syncd sync -resume)",
		"the daemon takes that at its next sync run (sync.schedule)")
}
