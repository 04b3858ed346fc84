package main_test

import (
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestReloadedPinLiftsTheWrongAccountPause: an integrator mistyped
// crm.hubspot.hub_id. The adapter pauses on the "wrong" account; the
// integrator corrects the id and reloads (SIGHUP, `systemctl reload
// syncd`): the pin is taken without a restart, the pause is lifted at once
// and the lead goes out. A reload that pins another account again pauses
// the next write. Pipedrive's crm.pipedrive.company_id is taken the same
// way.
func TestReloadedPinLiftsTheWrongAccountPause(t *testing.T) {
	t.Parallel()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token", AccountID: 7654321})
	dir := t.TempDir()
	config := dir + "/syncd.yaml"
	pinned := func(id string) {
		cfg := strings.Replace(crmConfig(dir, fakeURL, e2eLBToken), "    token: fake-private-app-token\n",
			"    token: fake-private-app-token\n    hub_id: "+id+"\n", 1)
		if err := os.WriteFile(config, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	pinned("7564321") // two digits swapped
	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitFor(t, "the adapter to pause", func() bool { return strings.Contains(d.log(), `"code":"WRONG_ACCOUNT"`) })
	out, _, _ := syncdRun(t, "status", "-config", config)
	mustContain(t, "status", out, "not to the pinned hub id 7564321", "correct crm.hubspot.hub_id (then reload or restart syncd)")

	pinned("7654321")
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the reload", func() bool { return strings.Contains(d.log(), `"message":"reloaded"`) })
	waitForRecords(t, fake, d, 1, 1, "the reload with the pin corrected")
	mustContain(t, "the log", d.log(), `"pin":"crm.hubspot.hub_id: 7654321"`, "crm account pin reloaded",
		`"why":"the pinned account was reloaded and the token belongs to it"`, "crm pause lifted")
	if strings.Contains(d.log(), "changed setting needs a restart") {
		t.Fatalf("a corrected pin asked for a restart:\n%s", d.log())
	}

	pinned("1111111") // pinned elsewhere again: the next write must not go out
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the second reload", func() bool { return strings.Count(d.log(), `"message":"reloaded"`) == 2 })
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the adapter to pause again", func() bool {
		return strings.Contains(d.log(), "not to the pinned hub id 1111111")
	})
	if s := fake.State(); len(s.Contacts) != 1 || len(s.Deals) != 1 {
		t.Fatalf("%d contacts and %d deals after the pin moved away, want 1 and 1", len(s.Contacts), len(s.Deals))
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}

// TestReloadedPipedrivePinLiftsThePause: as TestReloadedPinLiftsTheWrongAccountPause,
// for a mistyped crm.pipedrive.company_id.
func TestReloadedPipedrivePinLiftsThePause(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fake, url, config := setUpPipedrive(t, dir) // company 1234567
	pinned := func(id string) {
		cfg := strings.Replace(pipedriveConfig(dir, url), "    token: fake-pipedrive-token\n",
			"    token: fake-pipedrive-token\n    company_id: "+id+"\n", 1)
		if err := os.WriteFile(config, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	pinned("1234576")
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the adapter to pause", func() bool { return strings.Contains(d.log(), `"code":"WRONG_ACCOUNT"`) })

	pinned("1234567")
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the reload", func() bool { return strings.Contains(d.log(), `"message":"reloaded"`) })
	waitForRecords(t, fake, d, 1, 1, "the reload with the company id corrected")
	if strings.Contains(d.log(), "changed setting needs a restart") {
		t.Fatalf("a corrected company id asked for a restart:\n%s", d.log())
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}
