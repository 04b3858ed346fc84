package main_test

import (
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestSyncByHandWritesPropertyTypesAsTheDaemonDoes: leads the daemon could
// not send (HubSpot refusing its writes) were sent by `syncd sync` run by
// hand with no daemon, which runs no account check and so knew no
// property types: it sent a dropdown's option by its label ("Large
// office"), which HubSpot refused (the lead dead-lettered), and a
// checkboxes list starting with ";" (";parking"), which HubSpot added to
// the options the contact held ("canteen;fibre;parking"). The command now
// reads the properties once before its first write, as the check does, and
// writes what the daemon would.
func TestSyncByHandWritesPropertyTypesAsTheDaemonDoes(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, d, config := hubspotWithTypes(t)
	boxesHeld(t, fake, d)
	fake.AddFault(crmfake.Fault{Path: "/crm/v3/objects/**", Action: crmfake.ActError, Status: 503})
	postViewing(t, d, `"email": "boxes@x.dk", "features": ["", "parking"], "size": "small"`)
	postViewing(t, d, `"email": "typed@x.dk", "features": ["parking"], "size": "Large office"`)
	waitFor(t, "the daemon to try the CRM", func() bool { return strings.Contains(d.log(), "crm call failed as a whole") })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	fake.ClearFaults()
	out, errOut, code := syncdRun(t, "sync", "-config", config)
	if code != 0 {
		t.Errorf("syncd sync: exit %d, want 0\n%s%s", code, out, errOut)
	}
	contactsSentNoneDead(t, config)
	if p, _ := hsContact(fake, "boxes@x.dk"); p["syncd_features"] != "parking" {
		t.Errorf("after a lead with features [\"\", \"parking\"] the contact's syncd_features holds %q, want %q", p["syncd_features"], "parking")
	}
	if p, _ := hsContact(fake, "typed@x.dk"); p["syncd_size"] != "large" {
		t.Errorf("a lead with size \"Large office\": the contact's syncd_size holds %q, want %q", p["syncd_size"], "large")
	}
}
