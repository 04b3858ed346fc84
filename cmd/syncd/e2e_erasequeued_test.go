package main_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestEraseWithNoDaemonSaysWhatSendsItsCRMErasure: `syncd erase -crm` with
// no daemon serving the SQLite database said "CRM erase queued: 1
// operations for hubspot (sent by the daemon's syncer, …)": no syncer
// runs, and the person stays in the CRM until someone runs syncd sync or
// starts the daemon. It says so; with nothing queued it promises nothing,
// and says why none (it said "0 operations").
func TestEraseWithNoDaemonSaysWhatSendsItsCRMErasure(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, config, _ := leadSentThenStopped(t)
	const email = "support@estateagentfeeds.com"
	out := syncdOK(t, "erase", "-config", config, "-email", email, "-crm")
	mustContain(t, "erase -crm with no daemon", out, "CRM erase queued: 1 operation for hubspot: contact ", ", deal ",
		" (no syncd daemon serves this database: they go with syncd sync, or once the daemon is started)\n")
	if strings.Contains(out, "daemon's syncer") {
		t.Errorf("erase -crm with no daemon promises the daemon's syncer:\n%s", out)
	}
	if out, stderr, code := syncdRun(t, "sync", "-config", config); code != 0 {
		t.Fatalf("sync after the erase: exit %d\n%s%s", code, out, stderr)
	}
	if st := fake.State(); len(st.ContactsByEmail[email]) != 0 || len(st.Deals) != 0 {
		t.Errorf("after syncd sync the CRM still holds %v and %d deals", st.ContactsByEmail[email], len(st.Deals))
	}
	out = syncdOK(t, "erase", "-config", config, "-email", email, "-crm")
	// Nothing to queue is said so, not "0 operations", read as a failure.
	mustContain(t, "erase -crm again", out, "CRM erase queued: none for hubspot (syncd holds no link of the person's to a record there)\n")
}

// leadSentThenStopped runs a daemon on the stand-in HubSpot until the
// example email lead (support@estateagentfeeds.com) is in it, its contact
// and deal both done (the deal's association with its contact too: stopped
// before, the erasure of the contact left the deal, ci10), then stops it.
// It returns the stand-in CRM, the configuration and its directory.
func leadSentThenStopped(t *testing.T) (*crmfake.Server, string, string) {
	t.Helper()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, url, true)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitForRecords(t, fake, d, 1, 1, "the lead")
	waitOutboxDone(t, d, filepath.Join(dir, "data", "syncd.db"), 2)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	return fake, config, dir
}
