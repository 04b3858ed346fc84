package main_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestStatusFollowsAResumeByTheOperator: while the daemon runs, a token
// rejected mid-run pauses the adapter and `syncd status` says until when,
// why and what to do (it said only PAUSED); once the
// operator has fixed it and run `syncd sync -resume` (another process),
// the daemon's status and its syncd_crm_adapter_paused no longer say
// PAUSED. (They did for good: the daemon set the metric only when it
// paused or lifted a pause itself.)
func TestStatusFollowsAResumeByTheOperator(t *testing.T) {
	t.Parallel()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/**", Action: crmfake.ActError, Status: 401, Uses: 1})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, fakeURL, false)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the adapter to pause on 401", func() bool { return strings.Contains(d.log(), "crm adapter paused") })
	status, _, _ := syncdRun(t, "status", "-config", config)
	mustContain(t, "status while paused", status, "running since", "hubspot: PAUSED until",
		"authentication rejected: crm 401", "once fixed, run: syncd sync -resume")

	out, _, code := syncdRun(t, "sync", "-resume", "-config", config)
	if code != 0 || !strings.Contains(out, "2 done") {
		t.Fatalf("sync -resume: exit %d\n%s", code, out)
	}
	waitFor(t, "status to show the adapter running", func() bool {
		status, _, _ = syncdRun(t, "status", "-config", config)
		return strings.Contains(status, "hubspot: running")
	})
}
