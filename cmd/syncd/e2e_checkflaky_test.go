package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// configWritingALackedProperty writes, in dir, a HubSpot configuration
// for the stand-in at url, set up for the shipped mappings, whose
// mappings (copies in dir) also write preferred_branch, a contact
// property the account lacks: the check looks it up by its name, as the
// list leaves out archived and sensitive properties.
func configWritingALackedProperty(t *testing.T, dir, url string) string {
	t.Helper()
	_, maps := editedMappings(t, dir)
	config := writeCRMConfigOnPort(t, dir, url, true)
	shipped, _ := filepath.Abs("../../mappings/hubspot")
	yaml, _ := os.ReadFile(config)
	if err := os.WriteFile(config, []byte(strings.Replace(string(yaml), shipped, maps, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	eaf := filepath.Join(maps, "eaf.yaml")
	data, _ := os.ReadFile(eaf)
	const at = "      lifecyclestage: {const: lead, write: create}\n"
	if !strings.Contains(string(data), at) {
		t.Fatal("eaf.yaml has no lifecyclestage line to add a property after")
	}
	if err := os.WriteFile(eaf, []byte(strings.Replace(string(data), at, at+"      preferred_branch: {const: north}\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	return config
}

// TestPropertyNotLookedUpIsNotSaidMissing: the mappings write a contact
// property the list of the account's properties does not show (HubSpot
// leaves out archived and sensitive ones), and HubSpot answers the
// check's look-up of it by name with a 503. `syncd crm check` said
// "property preferred_branch does not exist on contacts", exit 2: the
// operator, told so, may create a second property by hand. It says the
// property could not be looked up and whether it exists is not known,
// and exits 1, a check that could not read the account; with the CRM
// answering, it says the property does not exist, exit 2.
func TestPropertyNotLookedUpIsNotSaidMissing(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := configWritingALackedProperty(t, t.TempDir(), url)
	fake.AddFault(crmfake.Fault{Method: "GET", Path: "/crm/v3/properties/contacts/preferred_branch", Action: crmfake.ActError, Status: 503})
	out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
	t.Logf("crm check, exit %d:\n%s%s", code, out, stderr)
	if code != 1 || strings.Contains(out, "does not exist") || strings.Contains(out, "not ready") {
		t.Errorf("crm check with the look-up of a property answered 503: exit %d; want 1, and no property said not to exist", code)
	}
	mustContain(t, "crm check", out, "preferred_branch, not in the list of contacts properties, could not be looked up, so whether it exists is not known",
		"could not read the account")

	fake.ClearFaults()
	out, stderr, code = syncdRun(t, "crm", "check", "-config", config)
	if code != 2 || !strings.Contains(out, "property preferred_branch does not exist on contacts") {
		t.Errorf("crm check with the CRM answering: exit %d; want 2, the property missing\n%s%s", code, out, stderr)
	}
}

// TestStuckBatchIsSetAsideWhileTheAccountHasAFinding: the account check
// finds a property the mappings write missing (only the leads of one
// sender carry it), and the contacts' batch upsert draws a 504 every
// time (a request too large for HubSpot, say) while HubSpot answers
// every read. The probe behind the 504 failed for the finding, so the
// batch read as an outage ("crm call failed as a whole, cooling down")
// and held up every lead behind it, to CRM FAILING after half an hour. A
// finding is HubSpot answering: the probe fails only for a read that
// failed, and the batch is set aside as one the CRM never takes.
func TestStuckBatchIsSetAsideWhileTheAccountHasAFinding(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := configWritingALackedProperty(t, t.TempDir(), url)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	waitFor(t, "the start-up check's alarm", func() bool { return strings.Contains(d.log(), "crm check failed") })

	if log, aside := a504SetAside(t, fake, d); !aside {
		t.Fatalf("a 504 to one batch, with HubSpot answering every read, read as an outage while the account has a finding:\n%s", log)
	}
}

// TestCheckWarningReachesTheLog: HubSpot does not say which scopes the
// token has (both token-info reads answer 404), a warning of the account
// check. Only syncd crm check showed it: the daemon's log said "crm check
// passed" and nothing of it. The daemon logs the check's warnings at
// warn level, once: a lead sent, a call that went through, does not
// repeat them.
func TestCheckWarningReachesTheLog(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := writeCRMConfigOnPort(t, t.TempDir(), url, true)
	fake.AddFault(crmfake.Fault{Path: "/oauth/**", Action: crmfake.ActError, Status: 404})
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	waitFor(t, "the start-up check", func() bool { return strings.Contains(d.log(), "crm check passed") })
	postTestdata(t, d, "eaf/email_lead.json")
	waitForRecords(t, fake, d, 1, 1, "the lead")
	const warned = `"level":"warn","crm":"hubspot","warnings":1,"warnings_found":"token scopes: HubSpot did not say which scopes the token has: ` +
		`whether it has crm.objects.contacts.read, crm.objects.contacts.write, crm.objects.deals.read, crm.objects.deals.write, ` +
		`which sending leads needs and no read below shows, is not known"`
	if n := strings.Count(d.log(), warned); n != 1 {
		t.Errorf("the check's warning logged %d times; want once:\n%s", n, d.log())
	}
}

// TestCheckAlarmTellsFailedReadsApart: the daemon's check at start finds
// a property the mappings write missing, and HubSpot answers its read of
// the pipelines with a 503. The alarm listed "pipelines deals: crm 503
// INTERNAL_ERROR" among the problems found, as one more thing wrong with
// the account; and the check run again once a call went through, finding
// the same problem, logged the alarm a second time. The alarm names the
// problem apart from the read that failed (reads_failed), says there may
// be more, and is not repeated for the same problem.
func TestCheckAlarmTellsFailedReadsApart(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := configWritingALackedProperty(t, t.TempDir(), url)
	fake.AddFault(crmfake.Fault{Method: "GET", Path: "/crm/v3/pipelines/**", Action: crmfake.ActError, Status: 503})
	d := start(t, config)
	waitFor(t, "the start-up check's alarm", func() bool { return strings.Contains(d.log(), "crm check failed") })
	pipelines := fake.CountRequests("GET", "/crm/v3/pipelines/deals", 0)
	fake.ClearFaults()
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitFor(t, "the check run again once a call went through", func() bool {
		return fake.CountRequests("GET", "/crm/v3/pipelines/deals", 0) > pipelines
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	log := d.log()
	if n := strings.Count(log, `"crm check failed`); n != 1 {
		t.Errorf("\"crm check failed\" logged %d times for the same problem; want once:\n%s", n, log)
	}
	mustContain(t, "the alarm", log,
		`"problems":1,"problems_found":"contacts preferred_branch: property preferred_branch does not exist on contacts","reads_failed":"pipelines deals: HubSpot failed on its side (503`,
		"some of its reads failed, so there may be more")
}

// a504SetAside makes the contacts' batch upsert answer 504 every time,
// posts a lead, and reports whether the daemon set its batch aside as one
// the CRM never takes (else it took the 504 for an outage), with its log.
func a504SetAside(t *testing.T, fake *crmfake.Server, d *daemon) (log string, aside bool) {
	t.Helper()
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/upsert", Action: crmfake.ActError, Status: 504})
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	const setAside, outage = "crm answers other calls but failed this batch as a whole", "crm call failed as a whole, cooling down"
	waitFor(t, "the 504 to be told", func() bool {
		return strings.Contains(d.log(), setAside) || strings.Contains(d.log(), outage)
	})
	log = d.log()
	return log, strings.Contains(log, setAside)
}
