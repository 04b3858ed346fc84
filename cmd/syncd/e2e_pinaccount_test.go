package main_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestPinnedAccountKeepsLeadsFromAnotherCRM: an integrator pasted another
// client's HubSpot token. With crm.hubspot.hub_id pinning the client's
// account, crm check fails naming both accounts, and the daemon sends
// nothing to the other account: the adapter pauses as for a rejected token,
// status says why and the way out, the leads wait in the outbox. With
// the pin put right and a restart, they go out.
func TestPinnedAccountKeepsLeadsFromAnotherCRM(t *testing.T) {
	t.Parallel()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token", AccountID: 7654321})
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	pinned := func(id string) {
		cfg := strings.Replace(crmConfig(dir, fakeURL, e2eLBToken), "    token: fake-private-app-token\n",
			"    token: fake-private-app-token\n    hub_id: "+id+"\n", 1)
		os.WriteFile(config, []byte(cfg), 0o600)
	}
	pinned("1111111")

	out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
	t.Logf("syncd crm check, exit %d:\n%s%s", code, out, stderr)
	if code != 2 {
		t.Fatalf("crm check with another account's token: exit %d, want 2", code)
	}
	mustContain(t, "crm check", out, "NOT the pinned account (crm.hubspot.hub_id: 1111111)",
		"the token belongs to hub id 7654321 (app-eu1.hubspot.com", "not to the pinned hub id 1111111", "correct crm.hubspot.hub_id")
	if strings.Contains(out, "syncd_enquiry_at") {
		t.Fatalf("crm check went on checking another client's account:\n%s", out)
	}

	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitFor(t, "the adapter to pause", func() bool { return strings.Contains(d.log(), `"code":"WRONG_ACCOUNT"`) })
	time.Sleep(2 * time.Second) // two more scheduled runs: still nothing may go out
	s := fake.State()
	if len(s.Contacts)+len(s.Deals) != 0 {
		t.Fatalf("%d contacts and %d deals sent to another client's account", len(s.Contacts), len(s.Deals))
	}
	for _, r := range fake.Requests() {
		if r.Method != http.MethodGet {
			t.Fatalf("%s %s reached another client's account", r.Method, r.Path)
		}
	}
	out, _, code = syncdRun(t, "status", "-config", config)
	t.Logf("syncd status, exit %d:\n%s", code, out)
	if code != 5 {
		t.Fatalf("status: exit %d, want 5 (a person must act)", code)
	}
	mustContain(t, "status", out, "PAUSED", "wrong CRM account: the token belongs to hub id 7654321", "not to the pinned hub id 1111111",
		"none goes to that account", "2 pending", "0 dead")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	pinned("7654321")
	out, _, _ = syncdRun(t, "crm", "check", "-config", config)
	mustContain(t, "crm check, pinned right", out, "hub id 7654321 (app-eu1.hubspot.com, STANDARD, UTC): the pinned account (crm.hubspot.hub_id)")
	d = start(t, config)
	out, _, _ = syncdRun(t, "sync", "-resume", "-config", config) // the start check fails on the stand-in's missing properties
	t.Logf("syncd sync -resume:\n%s", out)
	waitFor(t, "the lead in the pinned account", func() bool {
		s := fake.State()
		return len(s.Contacts) == 1 && len(s.Deals) == 1
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}

// TestUnpinnedAccountSuggestsThePin: unpinned, the leads go out as ever,
// and the daemon's start log says once, at info, how to pin the account.
func TestUnpinnedAccountSuggestsThePin(t *testing.T) {
	t.Parallel()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token", AccountID: 7654321})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)
	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitFor(t, "the lead in the CRM", func() bool { s := fake.State(); return len(s.Contacts) == 1 && len(s.Deals) == 1 })
	waitFor(t, "the hint", func() bool { return strings.Contains(d.log(), "crm account not pinned") })
	mustContain(t, "start log", d.log(), `"level":"info","crm":"hubspot","pin":"crm.hubspot.hub_id: 7654321"`)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(d.log(), "crm account not pinned"); n != 1 {
		t.Fatalf("the hint logged %d times", n)
	}
}

// TestPinnedPipedriveCompanyCheck: crm check on a token of another
// Pipedrive company than crm.pipedrive.company_id fails with one row.
func TestPinnedPipedriveCompanyCheck(t *testing.T) {
	t.Parallel()
	_, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token", AccountID: 4242})
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	cfg := strings.Replace(pipedriveConfig(dir, fakeURL), "    token: fake-pipedrive-token\n",
		"    token: fake-pipedrive-token\n    company_id: 99\n", 1)
	os.WriteFile(config, []byte(cfg), 0o600)
	out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
	t.Logf("syncd crm check, exit %d:\n%s%s", code, out, stderr)
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	mustContain(t, "crm check", out, `the token belongs to company 4242 "Fake 4242" (fake4242.pipedrive.com`,
		"not to the pinned company 99", "correct crm.pipedrive.company_id", "1 problem")
}
