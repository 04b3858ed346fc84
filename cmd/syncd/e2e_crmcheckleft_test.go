package main_test

import (
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCRMCheckNamesTheLeadsLeftInTheEarlierCRM: an operator setting up the
// CRM an agency moves to (from the dry run, or from HubSpot to Pipedrive)
// runs crm setup, then crm check, as docs/crm-setup.md says. The check
// said the account was ready and nothing of the leads that went only to
// the dry run or to HubSpot, which validate, status and the start log
// name with the replay that sends them. It now says the same line, under
// the findings; its exit status is still the account's (0: ready).
func TestCRMCheckNamesTheLeadsLeftInTheEarlierCRM(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	t.Run("dryrun to hubspot", func(t *testing.T) {
		t.Parallel()
		dir, addr := t.TempDir(), freeAddr(t)
		dry := dryRunConfig(t, dir, addr)
		_, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
		live := writeCRMConfigOnPort(t, dir, url, true)
		listenOn(t, live, addr)
		d := start(t, dry)
		postEAFLeadOf(t, d, "01")
		postEAFLeadOf(t, d, "02")
		dryRunDone(t, dry, 2)
		if err := d.stop(t, syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		checkSaysLeftIn(t, live, "hubspot: 2 leads went only to the dry run (received since", "sends them to hubspot")
	})
	t.Run("hubspot to pipedrive", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		oneLeadInHubSpot(t, dir)
		_, _, pdConfig := setUpPipedrive(t, dir)
		checkSaysLeftIn(t, pdConfig, "pipedrive: 1 lead went only to hubspot (received since", "sends them to pipedrive")
	})
}

// checkSaysLeftIn runs crm check on config, an account set up, and wants
// exit 0 (the account ready) with said and the replay that sends them.
func checkSaysLeftIn(t *testing.T, config, said, sends string) {
	t.Helper()
	out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
	if code != 0 || !strings.Contains(out, said) || !regexp.MustCompile(`syncd replay -since \S+ `+sends).MatchString(out) {
		t.Fatalf("crm check: exit %d\n%s%s\nwant exit 0, %q and the replay that %s", code, out, stderr, said, sends)
	}
}
