package main_test

import (
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
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
	notInShort(t, longUnderRace)
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

	const left = "2 pending operations left, the next due at "
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

// TestSyncWithNoInstanceOnPostgresSaysNothingSendsWhatIsLeft: on
// PostgreSQL with no instance running (the last one stopped), `syncd sync`
// led the run itself and, the CRM failing, said "a running syncd daemon
// sends them" and exited 6, where none runs. It says none does, exit 5, as
// on SQLite with no daemon, in an instance's words: it said "no syncd
// daemon serves this database ... start the daemon" to an operator who
// runs several.
func TestSyncWithNoInstanceOnPostgresSaysNothingSendsWhatIsLeft(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := writePGCRMConfig(t, t.TempDir(), url, dsn)
	fake.AddFault(crmfake.Fault{Action: crmfake.ActError, Status: 503}) // every path: an outage
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the daemon to find the CRM down", func() bool { return strings.Contains(d.log(), "crm call failed as a whole") })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "sync", "-config", config)
	if code != 5 || !strings.Contains(out, "no syncd instance runs on this database: nothing sends them by itself") ||
		!strings.Contains(out, "or start an instance") || strings.Contains(out, "daemon") {
		t.Errorf("sync on PostgreSQL with no instance, the CRM down: exit %d, want 5 and that nothing sends them\n%s%s",
			code, out, stderr)
	}
}
