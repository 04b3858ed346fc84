package main_test

import (
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestPinOfAnotherAccountThanTheIDsHoldsBack: syncd sent leads, unpinned,
// into hub id 7654321, which it recorded as the account its CRM ids were
// made in. The operator then pinned hub id 1111111 (the client's account,
// the token still the old one's). crm check's first line said "NOT the
// pinned account", and under it "ok, the account is ready", exit 0; the
// daemon pinned itself to the recorded account in place of the
// configuration's pin and sent the next lead there. The pin holds as well:
// the check fails naming both accounts, and the daemon sends nothing.
func TestPinOfAnotherAccountThanTheIDsHoldsBack(t *testing.T) {
	t.Parallel()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token", AccountID: 7654321})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, fakeURL, true)
	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitForRecords(t, fake, d, 1, 1, "the first lead, unpinned")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	yaml, _ := os.ReadFile(config)
	pinned := strings.Replace(string(yaml), "    token: fake-private-app-token\n", "    token: fake-private-app-token\n    hub_id: 1111111\n", 1)
	if err := os.WriteFile(config, []byte(pinned), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
	t.Logf("syncd crm check, exit %d:\n%s%s", code, out, stderr)
	if code != 2 {
		t.Errorf("crm check of a token of another account than the pinned one: exit %d, want 2", code)
	}
	mustContain(t, "crm check", out, "NOT the pinned account (crm.hubspot.hub_id: 1111111)",
		"the token belongs to hub id 7654321 (app-eu1.hubspot.com", "not to the pinned hub id 1111111", "correct crm.hubspot.hub_id")

	before := len(fake.Requests())
	d = start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the adapter to pause", func() bool { return strings.Contains(d.log(), `"code":"WRONG_ACCOUNT"`) })
	time.Sleep(2 * time.Second) // two more scheduled runs: still nothing may go out
	if s := fake.State(); len(s.Contacts) != 1 || len(s.Deals) != 1 {
		t.Errorf("%d contacts and %d deals in an account the pin does not name, want the first lead's alone", len(s.Contacts), len(s.Deals))
	}
	for _, r := range fake.Requests()[before:] {
		if r.Method != http.MethodGet {
			t.Errorf("%s %s reached an account the pin does not name", r.Method, r.Path)
		}
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}

// TestSetupOfAnotherAccountThanThePinnedSaysWhose: crm setup with a token
// of another account than the pinned one creates nothing there, and said
// "no answer from HubSpot (…): check crm.hubspot.base_url and the
// network", though HubSpot had answered whose the token is. It says that,
// and the way out, as crm check does, and exits 2 as crm check does: a run
// again changes nothing until the token or the pin is put right.
func TestSetupOfAnotherAccountThanThePinnedSaysWhose(t *testing.T) {
	t.Parallel()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token", AccountID: 7654321})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)
	yaml, _ := os.ReadFile(config)
	pinned := strings.Replace(string(yaml), "    token: fake-private-app-token\n", "    token: fake-private-app-token\n    hub_id: 1111111\n", 1)
	if err := os.WriteFile(config, []byte(pinned), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "crm", "setup", "-config", config)
	t.Logf("syncd crm setup, exit %d:\n%s%s", code, out, stderr)
	if code != 2 { // it exited 1, "the CRM was not reached or refused a call: run it again", which changes nothing
		t.Errorf("crm setup with another account's token: exit %d, want 2, as crm check and forget-links exit", code)
	}
	mustContain(t, "crm setup", stderr, "syncd crm setup: the token belongs to hub id 7654321", "not to the pinned hub id 1111111",
		"correct crm.hubspot.hub_id")
	if strings.Contains(stderr, "no answer") || strings.Contains(stderr, "WRONG_ACCOUNT") {
		t.Errorf("crm setup's error says no answer, or a code, of an account that answered:\n%s", stderr)
	}
	for _, r := range fake.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("%s %s reached an account the pin does not name", r.Method, r.Path)
		}
	}
}
