package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestRestoredBackupOfAnotherAccountErasesNothingThere: one agency's
// backup restored by mistake where another agency's syncd runs, and the
// README's erase -crm run on it for a person erased since. The daemon
// sends nothing to the token's account (the restore pins the account its
// CRM ids were made in), but erase -crm GDPR-deleted whoever held the
// person's email in that account at once: the other agency's own client of
// that address, for good (HubSpot also keeps the address from coming
// back). Now erase -crm pins as the daemon does: the erase in syncd is
// done, the CRM's is refused, saying why and what to do. The erasure it
// queued (the other account's CRM ids) waits; `syncd crm forget-links`
// then made it due in the token's account, where it erased the records of
// those ids, someone else; now forget-links makes it dead, and says so.
func TestRestoredBackupOfAnotherAccountErasesNothingThere(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fakeX, urlX := startFakeCRM(t, crmfake.Options{AccountID: 1110001})
	configX := writeCRMConfigOnPort(t, t.TempDir(), urlX, true)
	d := start(t, configX)
	postTestdata(t, d, "eaf/email_lead.json")
	waitForRecords(t, fakeX, d, 1, 1, "the lead")
	backup := backUp(t, configX)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	const email = "support@estateagentfeeds.com"
	fakeY, urlY := startFakeCRM(t, crmfake.Options{AccountID: 2220002})
	fakeY.AddContact(crmfake.Record{Email: email}) // this agency's own client of that address
	dirY := t.TempDir()
	configY := writeCRMConfigOnPort(t, dirY, urlY, true)
	if err := os.MkdirAll(filepath.Join(dirY, "data"), 0o750); err != nil {
		t.Fatal(err)
	}
	restore(t, backup, filepath.Join(dirY, "data", "syncd.db"))
	out, errOut, code := syncdRun(t, "erase", "-config", configY, "-email", email, "-crm")
	if n := len(fakeY.State().ContactsByEmail[email]); n != 1 {
		t.Errorf("erase -crm on another agency's backup erased this agency's contact of that address (%d left)\n%s%s", n, out, errOut)
	}
	if code == 0 || !strings.Contains(out+errOut, "not to the pinned hub id 1110001") || !strings.Contains(out+errOut, "another agency's") ||
		!strings.Contains(errOut, "nothing erased there") ||
		!strings.Contains(out, "erased: 1 event") {
		t.Errorf("erase -crm on another agency's backup: exit %d; want the erase in syncd done, the CRM's refused and why\n%s%s", code, out, errOut)
	}
	if strings.Contains(errOut, "WRONG_ACCOUNT") { // a code, as crm setup no longer says it
		t.Errorf("erase -crm on another agency's backup says the error's code, no word of syncd's:\n%s", errOut)
	}
	// The way out of an agency that moved: the erasure queued holds the
	// other account's CRM ids, which name other records, or none, here.
	if out := syncdOK(t, "crm", "forget-links", "-config", configY); !strings.Contains(out, "1 CRM erasure was waiting with the earlier account's CRM ids") {
		t.Errorf("forget-links does not say what it did with the erasure waiting:\n%s", out)
	}
	out, errOut, code = syncdRun(t, "sync", "-config", configY)
	if n := len(fakeY.State().ContactsByEmail[email]); n != 1 {
		t.Errorf("after forget-links, the erasure queued with the other account's CRM ids erased this account's record of that id (%d left): exit %d\n%s%s", n, code, out, errOut)
	}
}
