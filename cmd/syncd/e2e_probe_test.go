package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestProbeChecksTheMappingsReloaded: the daemon tells one batch the CRM
// never takes from an outage by the account check against the mapped
// fields, whose reads must go through. After a SIGHUP with mappings
// writing a property the list of the account's properties does not show,
// a batch drawing a 504 was still set aside as one the CRM never takes
// ("crm answers other calls"): the check behind it read the fields of the
// mappings the daemon started with, and never looked that property up. It
// checks those reloaded: the look-up failing too (a 503), the 504 is an
// outage.
func TestProbeChecksTheMappingsReloaded(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := configWritingALackedProperty(t, dir, url)
	maps := filepath.Join(dir, "maps")
	eaf := filepath.Join(maps, "eaf.yaml")
	edited, _ := os.ReadFile(eaf)
	shipped, _ := os.ReadFile("../../mappings/hubspot/eaf.yaml")
	if err := os.WriteFile(eaf, shipped, 0o644); err != nil { // started with the shipped mappings
		t.Fatal(err)
	}
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	postTestdata(t, d, "eaf/email_lead.json")
	waitForRecords(t, fake, d, 1, 1, "the first lead")

	if err := os.WriteFile(eaf, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the reload", func() bool { return strings.Contains(d.log(), `"reloaded"`) })

	fake.AddFault(crmfake.Fault{Method: "GET", Path: "/crm/v3/properties/contacts/preferred_branch", Action: crmfake.ActError, Status: 503})
	if log, aside := a504SetAside(t, fake, d); aside {
		t.Fatalf("a 504 with the reloaded mappings' property not to be read in the CRM was set aside as one batch the CRM never takes:\n%s", log)
	}
}

// TestProbeIntoAnOutageSendsEachReadOnce: with every CRM request drawing a
// 503, a batch's failed call ran the probe (the account check, quietly),
// and the client resent each of its reads three times: the contacts'
// properties read four times a try on top of the batch's own requests,
// all counted against the CRM's limits. The probe sends each read once:
// its read of the objects API, the check's read of the account the token
// belongs to (which syncd recorded at the first lead), both let through
// here so that the check's other reads are sent, and those.
func TestProbeIntoAnOutageSendsEachReadOnce(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := writeCRMConfigOnPort(t, t.TempDir(), url, true)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	postTestdata(t, d, "eaf/email_lead.json")
	waitForRecords(t, fake, d, 1, 1, "the first lead")
	// The start's account check reads the account too, and may end after
	// the first lead is in the CRM (it did in a clean-clone .ci/run, load
	// 11: three reads counted): only the probe's are counted.
	waitFor(t, "the start's account check", func() bool { return strings.Contains(d.log(), `"crm check passed"`) })

	const read = "/crm/v3/properties/contacts"
	before := fake.CountRequests("GET", read, 0)
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/read", BodyContains: probeEmail,
		Action: crmfake.ActSlow}) // the probe's objects read answers as usual (Faults()[0] counts it)
	fake.AddFault(crmfake.Fault{Method: "GET", Path: "/account-info/v3/details", Action: crmfake.ActSlow}) // so does the check's read of the account
	fake.AddFault(crmfake.Fault{Action: crmfake.ActError, Status: 503})                                    // every other request
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitFor(t, "the outage", func() bool { return strings.Contains(d.log(), "crm call failed as a whole, cooling down") })
	if n := fake.CountRequests("GET", read, 0) - before; n != 1 {
		t.Errorf("the probe after the batch's 503 read %s %d times; want once\n%s", read, n, d.log())
	}
	if n := fake.Faults()[0].Fired; n != 1 {
		t.Errorf("the probe read the objects API %d times; want once\n%s", n, d.log())
	}
	if n := fake.Faults()[1].Fired; n != 1 {
		t.Errorf("the probe read the account the token belongs to %d times; want once\n%s", n, d.log())
	}
}

// probeEmail is the contact the probe's read of HubSpot's objects API asks
// for (hubspot.Adapter.ReadObjects).
const probeEmail = "syncd-probe@example.invalid"
