package main_test

import (
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestSyncWithNoDaemonSaysWhatIsLeftWaitsForAPerson: with no daemon
// serving the SQLite database, `syncd sync` with the CRM failing one
// batch's call set it aside and exited 6, "what is left goes out by
// itself", where nothing sends it by itself; the next `syncd sync` right
// after claimed none (the operations not due yet), said "0 claimed, 0
// done" and exited 0, "everything due was sent", the lead still waiting.
// Both say how many operations are left and when the next is due, that no
// daemon sends them, and exit 5, as for a lease held with no daemon.
func TestSyncWithNoDaemonSaysWhatIsLeftWaitsForAPerson(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := writeCRMConfigOnPort(t, t.TempDir(), url, true)
	d := start(t, config)
	fake.AddFault(crmfake.Fault{Action: crmfake.ActError, Status: 503}) // every path: an outage, the lead due again at once
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the daemon to find the CRM down", func() bool { return strings.Contains(d.log(), "crm call failed as a whole") })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	fake.ClearFaults()
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/upsert", Action: crmfake.ActError, Status: 504})

	const left = "2 pending operation(s) left, the next due at "
	const nobody = "no syncd daemon serves this database: nothing sends them by itself"
	out, stderr, code := syncdRun(t, "sync", "-config", config)
	if code != 5 || !strings.Contains(out, left) || !strings.Contains(out, nobody) {
		t.Errorf("sync setting a batch aside, no daemon: exit %d, want 5, what is left and that nothing sends it\n%s%s",
			code, out, stderr)
	}
	out, stderr, code = syncdRun(t, "sync", "-config", config)
	if code != 5 || !strings.Contains(out, "0 claimed") || !strings.Contains(out, left) || !strings.Contains(out, nobody) {
		t.Errorf("sync right after the set-aside, no daemon: exit %d, want 5, what is left and that nothing sends it\n%s%s",
			code, out, stderr)
	}
	if st := fake.State(); len(st.Contacts) != 0 {
		t.Errorf("the CRM holds %d contacts; want none", len(st.Contacts))
	}
}
