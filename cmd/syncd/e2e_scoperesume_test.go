package main_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCheckFollowsAResumeAfterTheScopeIsAdded: a private app without
// crm.objects.deals.write fails the daemon's account check at start and
// pauses the adapter at the first deal; `syncd status` says so and to run
// `syncd crm check`. The admin adds the scope (the token stays the same),
// the operator runs `syncd sync -resume`, as status says, and `syncd crm
// check`, which passes. The daemon's status then says the check is ok and
// exits 0. (Before, it said `crm check hubspot: FAILING, 1 problem: run
// syncd crm check`, exit 5, for up to 15 minutes after the fix: the
// daemon ran its check again only 15 minutes after the failed one, and a
// check run by hand is not the daemon's.)
func TestCheckFollowsAResumeAfterTheScopeIsAdded(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	all := []string{"crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.deals.read",
		"crm.objects.deals.write", "crm.schemas.contacts.read", "crm.schemas.contacts.write", "crm.schemas.deals.read",
		"crm.schemas.deals.write", "crm.objects.owners.read"}
	var lacking []string
	for _, s := range all {
		if s != "crm.objects.deals.write" {
			lacking = append(lacking, s)
		}
	}
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token", Scopes: lacking})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, fakeURL, true)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the adapter to pause on the missing scope", func() bool {
		return strings.Contains(d.log(), "crm adapter paused")
	})
	status, _, code := syncdRun(t, "status", "-config", config)
	mustContain(t, "status while the scope is missing", status, "crm.objects.deals.write",
		"crm check     hubspot: FAILING, 1 problem: run syncd crm check")
	if code != 5 {
		t.Fatalf("status while the scope is missing: exit %d, want 5\n%s", code, status)
	}

	fake.SetScopes(all)
	out, _, code := syncdRun(t, "sync", "-resume", "-config", config)
	if code != 0 || !strings.Contains(out, "0 dead") {
		t.Fatalf("sync -resume: exit %d\n%s", code, out)
	}
	if out, _, code := syncdRun(t, "crm", "check", "-config", config); code != 0 {
		t.Fatalf("crm check after the scope was added: exit %d\n%s", code, out)
	}
	waitFor(t, "status to show the daemon's check ok", func() bool {
		status, _, code = syncdRun(t, "status", "-config", config)
		return strings.Contains(status, "crm check     hubspot: ok") && code == 0
	})
}
