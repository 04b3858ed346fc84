package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestRestoredBackupOfAnotherAccountSendsNothing: one agency's backup,
// with a lead still waiting for its CRM, restored by mistake where another
// agency's syncd runs (one syncd per agency on a server, their backups side
// by side). The daemon logged that the CRM ids were made in another
// account, and sent the other agency's lead into this agency's CRM all
// the same. Now a restored backup is pinned to the account its CRM ids
// were made in: nothing is sent, and status says why and what to do;
// `syncd crm forget-links` (the agency's own backup, the agency moved)
// and a restart send them. `syncd crm check` passed on such a restore
// (exit 0) while the daemon sent nothing; now it says what the daemon
// does (exit 2).
func TestRestoredBackupOfAnotherAccountSendsNothing(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fakeX, urlX := startFakeCRM(t, crmfake.Options{AccountID: 1110001})
	dirX := t.TempDir()
	configX := writeCRMConfigOnPort(t, dirX, urlX, true)
	d := start(t, configX)
	postTestdata(t, d, "eaf/email_lead.json")
	waitForRecords(t, fakeX, d, 1, 1, "the first lead")
	fakeX.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 429, RetryAfter: "1"})
	postTestdata(t, d, "lokalebasen/enquiry_created.json") // waits in the outbox
	waitFor(t, "the lead waiting", func() bool {
		return strings.Contains(syncdOK(t, "outbox", "list", "-config", configX), "429")
	})
	backup := filepath.Join(t.TempDir(), "agency-x.db")
	syncdOK(t, "backup", "-config", configX, "-out", backup)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	fakeY, urlY := startFakeCRM(t, crmfake.Options{AccountID: 2220002})
	dirY := t.TempDir()
	configY := writeCRMConfigOnPort(t, dirY, urlY, true)
	if err := os.MkdirAll(filepath.Join(dirY, "data"), 0o750); err != nil {
		t.Fatal(err)
	}
	restore(t, backup, filepath.Join(dirY, "data", "syncd.db"))
	d = start(t, configY)
	var status string
	waitFor(t, "the adapter paused on the account, or the lead sent", func() bool {
		status, _, _ = syncdRun(t, "status", "-config", configY)
		return strings.Contains(status, "1110001") || len(fakeY.State().Contacts) > 0
	})
	if n := len(fakeY.State().Contacts); n != 0 {
		t.Errorf("another agency's backup sent %d contact(s) into this agency's CRM\n%s", n, d.log())
	}
	if !strings.Contains(status, "1110001") || !strings.Contains(status, "forget-links") || !strings.Contains(status, "another agency's") {
		t.Errorf("status does not say whose backup this may be and what to do:\n%s", status)
	}
	// crm check says what the daemon does: not ready, and why (it passed).
	if out, errOut, code := syncdRun(t, "crm", "check", "-config", configY); code != 2 ||
		!strings.Contains(out, "NOT the account the restored backup's CRM ids were made in (hub id 1110001)") ||
		!strings.Contains(out, "not to the pinned hub id 1110001") || !strings.Contains(out, "another agency's") {
		t.Errorf("crm check on the restored backup of another account: exit %d, want 2\n%s%s", code, out, errOut)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The way out when it is the agency's own backup and the agency moved.
	syncdOK(t, "crm", "forget-links", "-config", configY)
	if out, errOut, code := syncdRun(t, "crm", "check", "-config", configY); code != 0 || strings.Contains(out, "1110001") ||
		!strings.Contains(out, "If so, pin it (crm.hubspot.hub_id: 2220002)") {
		t.Errorf("crm check once the links are forgotten: exit %d, want 0\n%s%s", code, out, errOut)
	}
	d = start(t, configY)
	waitFor(t, "the leads written into the account the agency moved to", func() bool {
		return len(fakeY.State().Contacts) == 2
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}
