package main_test

import (
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestAccountFindingIsToldOnce: the daemon's check at start finds the
// account set up a little wrong (a Pipedrive field of another type than
// the mappings declare, which still takes the values), and leads go out.
// The first call that went through ran the check again at once, as after a
// check the CRM was down for, and "crm check failed" came twice within
// seconds with the same finding. A finding is said once; only a check
// whose reads failed runs again at once. status says when the check ran.
func TestAccountFindingIsToldOnce(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, config, d := startOnAFieldOfAnotherType(t)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitForRecords(t, fake, d, 1, 1, "the first lead")
	// The run that sent the first lead went on to what it does after a
	// call that went through before it sent the second.
	postTestdata(t, d, "eaf/email_lead.json")
	waitForRecords(t, fake, d, 2, 2, "the second lead")
	out, _, code := syncdRun(t, "status", "-config", config)
	// When the check ran is said as when status reads the database for
	// anything else (it was not: nothing else needed it).
	if code != 5 || !strings.Contains(out, "pipedrive: FAILING, 1 problem: run syncd crm check (the daemon's check at ") {
		t.Errorf("status with the account set up wrong: exit %d\n%s", code, out)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(d.log(), `"crm check failed`); n != 1 {
		t.Errorf("\"crm check failed\" logged %d times; want once:\n%s", n, d.log())
	}
}

// TestCRMCheckWhoseReadsFailedSaysSo: the CRM answers the check's reads
// of the account's properties with a 503 (down for maintenance). `syncd
// crm check` said "1 problem(s): the account is not ready for the
// mappings" and exited 2, the exit of an account to fix, where the README
// gives 1 to a check that could not run to its end. It says the account
// could not be read, that whether it is ready is not known, and exits 1.
func TestCRMCheckWhoseReadsFailedSaysSo(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, url, true)
	fake.AddFault(crmfake.Fault{Path: "/crm/v3/properties/**", Action: crmfake.ActError, Status: 503})
	out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
	t.Logf("crm check, exit %d:\n%s%s", code, out, stderr)
	if code != 1 || strings.Contains(out, "not ready") || !strings.Contains(out, "could not read the account") {
		t.Errorf("crm check with the CRM failing its reads: exit %d; want 1, saying the account could not be read, not that it is not ready", code)
	}
}
