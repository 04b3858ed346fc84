package main_test

import (
	"strings"
	"syscall"
	"testing"
	"time"

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

// TestStartCheckLiftsOnlyAPauseKeptFromBefore: the account check at start
// lifts a pause kept from the last run, not one the syncer made in this
// run while the check was still reading. The syncer starts before the
// check; with the check's reads slow, a lead's write refused with 401
// paused the adapter, and the check, passing a moment later, lifted that
// pause: the next batch was refused again, and the restart that followed
// found no pause to lift (how TestPauseLiftedAtStartIsNotTheOperators
// timed out under load).
func TestStartCheckLiftsOnlyAPauseKeptFromBefore(t *testing.T) {
	t.Parallel()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, fakeURL, true)
	fake.AddFault(crmfake.Fault{Method: "GET", Action: crmfake.ActSlow, Delay: time.Second})
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/**", Action: crmfake.ActError, Status: 401, Uses: 1})
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the adapter to pause on 401", func() bool { return strings.Contains(d.log(), "crm adapter paused") })
	waitFor(t, "the check at start to end", func() bool { return strings.Contains(d.log(), "crm account not pinned") })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if logs := d.log(); strings.Contains(logs, "crm pause lifted") {
		t.Errorf("the check at start lifted the pause the syncer made after it began:\n%s", logs)
	}
	fake.ClearFaults()
	d = start(t, config)
	waitFor(t, "the kept pause to be lifted at start", func() bool { return strings.Contains(d.log(), "crm pause lifted") })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("stop: %v", err)
	}
}
