package main_test

import (
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestPauseLiftedAtStartIsNotTheOperators: a pause kept from the last run
// (a token rejected, since accepted) is lifted by the account check at
// start. The log says so, and only so: it also said "adapter resumed by
// the operator", when no operator had done anything.
func TestPauseLiftedAtStartIsNotTheOperators(t *testing.T) {
	t.Parallel()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/**", Action: crmfake.ActError, Status: 401, Uses: 1})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, fakeURL, true)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the adapter to pause on 401", func() bool { return strings.Contains(d.log(), "crm adapter paused") })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("stop: %v", err)
	}
	d = start(t, config)
	waitFor(t, "the pause to be lifted at start", func() bool { return strings.Contains(d.log(), "crm pause lifted") })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if logs := d.log(); strings.Contains(logs, "operator") || !strings.Contains(logs, `"why":"the crm check at start passed"`) {
		t.Errorf("the pause lifted at start is logged as:\n%s", logs)
	}
}
