package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCRMCheckNamesTheAccount: an agency that pasted another client's
// token must be able to see it. crm check names the account the token
// belongs to (HubSpot's hub id, Pipedrive's company), and so does the
// daemon's start-up check in its log, by id and domain only.
func TestCRMCheckNamesTheAccount(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	hs := crmfake.New(crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token", AccountID: 7654321})
	hsURL := hs.Start()
	pd := crmfake.New(crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token", AccountID: 4242})
	pdURL := pd.Start()
	t.Cleanup(func() { hs.Close(); pd.Close() })
	dir := t.TempDir()
	hsConfig, pdConfig := filepath.Join(dir, "hubspot.yaml"), filepath.Join(dir, "pipedrive.yaml")
	os.WriteFile(hsConfig, []byte(crmConfig(filepath.Join(dir, "hs"), hsURL, e2eLBToken)), 0o600)
	os.WriteFile(pdConfig, []byte(pipedriveConfig(filepath.Join(dir, "pd"), pdURL)), 0o600)

	out, _, _ := syncdRun(t, "crm", "check", "-config", hsConfig)
	mustContain(t, "hubspot check", out, "hubspot account: hub id 7654321 (app-eu1.hubspot.com, STANDARD, UTC)")
	out, _, _ = syncdRun(t, "crm", "check", "-config", pdConfig)
	mustContain(t, "pipedrive check", out, `pipedrive account: company 4242 "Fake 4242" (fake4242.pipedrive.com, UTC)`)

	d := start(t, hsConfig)
	waitFor(t, "the start-up check", func() bool { return strings.Contains(d.log(), "crm check") })
	mustContain(t, "start-up check's log", d.log(), `"account_id":"7654321"`, `"account_domain":"app-eu1.hubspot.com"`)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}
