package main_test

import (
	"os"
	"path/filepath"
	"regexp"
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

// TestStatusSaysAPauseSyncByHandMadeBeforeTheDaemonTakesIt: `syncd sync`
// run by hand met a revoked token and paused the adapter in the database,
// which the daemon reads at its next sync run (sync.schedule: an hour
// here). Until then status said "hubspot: running", exit 0, from the
// daemon's view, while nothing would be sent before the pause ended. It
// now says the pause the database holds, exit 5.
func TestStatusSaysAPauseSyncByHandMadeBeforeTheDaemonTakesIt(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(crmConfig(dir, fakeURL, e2eLBToken), `schedule: "@every 1s"`, `schedule: "@every 1h"`, 1)
	yaml = strings.Replace(yaml, "prompt_delay: 100ms", "prompt_delay: 0s", 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil || !strings.Contains(yaml, "prompt_delay: 0s") {
		t.Fatalf("config not written as meant (%v):\n%s", err, yaml)
	}
	if out, _, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("crm setup: exit %d\n%s", code, out)
	}
	d := start(t, config)
	// The daemon's run at its start, late on a loaded machine, would
	// otherwise send the lead before the token is revoked.
	waitFor(t, "the daemon's first sync run", func() bool {
		l := metricLine(metricsText(t, d.url), `syncd_last_sync_success_timestamp_seconds{adapter="hubspot"}`)
		return l != "" && !strings.HasSuffix(l, " 0")
	})
	postTestdata(t, d, "eaf/email_lead.json")
	waitMapped(t, config)
	fake.AddFault(crmfake.Fault{Path: "/**", Action: crmfake.ActError, Status: 401})
	if out, _, code := syncdRun(t, "sync", "-config", config); code != 5 || !strings.Contains(out, "adapter paused until") {
		t.Fatalf("sync by hand on a revoked token: exit %d, want 5 and the pause\n%s", code, out)
	}
	out, _, code := syncdRun(t, "status", "-config", config)
	if code != 5 || !regexp.MustCompile(`(?m)^adapters +hubspot: PAUSED until .*authentication rejected`).MatchString(out) {
		t.Errorf("status after syncd sync paused the adapter, the daemon's next run an hour away: exit %d, want 5 and the pause\n%s", code, out)
	}
}
