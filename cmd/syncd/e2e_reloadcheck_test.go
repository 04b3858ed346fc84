package main_test

import (
	"strings"
	"testing"
)

// TestReloadSaysHowTheAccountCheckWent: an operator who made a missing
// property in HubSpot, or gave a new token, reloads to have the daemon
// check the account again. syncd reload said "reloaded" as the daemon took
// the files and returned before the check it started had run, so whether
// the account was ready now was in the log and syncd status alone. It now
// waits for that check and says how it went, exit 0 either way (the files
// were taken).
func TestReloadSaysHowTheAccountCheckWent(t *testing.T) {
	t.Parallel()
	fake, d, config := hubspotWithTypes(t)
	size := fake.Properties("contacts")["syncd_size"]
	fake.DeleteProperty("contacts", "syncd_size")

	out, stderr, code := syncdRun(t, "reload", "-config", config)
	if code != 0 || !strings.Contains(out, "reloaded: ") ||
		!strings.Contains(out, "the CRM account check (hubspot) FAILED: 1 problem with the account or the mappings") ||
		!strings.Contains(out, "syncd crm check -config "+sq(config)+" says what and how to fix it") {
		t.Fatalf("reload with a property the mappings write missing: exit %d\n%s%s", code, out, stderr)
	}

	fake.SetProperty("contacts", size)
	out, stderr, code = syncdRun(t, "reload", "-config", config)
	if code != 0 || !strings.Contains(out, "the CRM account check (hubspot) passed\n") {
		t.Fatalf("reload after the property was made again: exit %d\n%s%s", code, out, stderr)
	}
	if n := strings.Count(d.log(), "crm check passed"); n < 2 {
		t.Fatalf("the daemon's log shows %d passed checks, want the start's and the reload's:\n%s", n, d.log())
	}
}

// TestReloadOfANewTokenSaysThePauseIsLifted: the sync paused on a token
// HubSpot refused; the operator writes the right one, sets the account up
// and reloads: reload says the check passed and that the leads that
// waited go out now, which before only the log and syncd status said.
func TestReloadOfANewTokenSaysThePauseIsLifted(t *testing.T) {
	t.Parallel()
	p := startPausedOnToken(t)
	p.fixToken(t)
	syncdOK(t, "crm", "setup", "-config", p.config)
	out, stderr, code := syncdRun(t, "reload", "-config", p.config)
	if code != 0 || !strings.Contains(out, "the CRM account check (hubspot) passed, and the sync's pause is lifted: the leads that waited go out now") {
		t.Fatalf("reload of the right token: exit %d\n%s%s", code, out, stderr)
	}
	waitForRecords(t, p.fake, p.d, 1, 1, "the reload with the right token")
}
