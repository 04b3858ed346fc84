package main_test

import (
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestTokenChangedBeforeTheFirstLeadIsNoAccountMove: the daemon started
// on one HubSpot portal's token (another client's, by mistake) and
// stopped before any lead came; with the right token, the first lead goes
// into the right portal. Before, the daemon's account check at start
// recorded the first portal as the one syncd's CRM ids were made in
// although it had made none there: started on the right token, it said
// "crm account changed", paused (wrong CRM account) and wrote nothing
// until `syncd crm forget-links`. The account is recorded before the
// first write only.
func TestTokenChangedBeforeTheFirstLeadIsNoAccountMove(t *testing.T) {
	t.Parallel()
	_, wrongURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token", AccountID: 7654321})
	right, rightURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token", AccountID: 1111111})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, wrongURL)
	d := start(t, config)
	waitFor(t, "the account check at start", func() bool { return strings.Contains(d.log(), `"message":"crm check`) })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	if err := os.WriteFile(config, []byte(crmConfig(dir, rightURL, e2eLBToken)), 0o600); err != nil {
		t.Fatal(err)
	}
	d = start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitForRecords(t, right, d, 1, 1, "the lead in the right portal")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if log := d.log(); strings.Contains(log, "crm account changed") || strings.Contains(log, "WRONG_ACCOUNT") {
		t.Fatalf("an account change said, no CRM id having been made in the first portal:\n%s", log)
	}
}
