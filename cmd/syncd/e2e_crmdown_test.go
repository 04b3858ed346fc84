package main_test

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestStatusTellsTheCRMIsFailing: the CRM answering 503 to every call
// after the daemon started (its account check passed), syncd status said
// "hubspot: running", as if the leads were going out. It says since when
// every CRM call fails, and the metric it reads is on /metrics for the
// alert.
func TestStatusTellsTheCRMIsFailing(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, url, true)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitForRecords(t, fake, d, 1, 1, "the first lead")
	fake.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 503})
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	var out string
	waitFor(t, "status to tell the CRM fails", func() bool {
		out, _, _ = syncdRun(t, "status", "-config", config)
		return strings.Contains(out, "hubspot: running; every CRM call failing since ")
	})
	if _, _, code := syncdRun(t, "status", "-config", config); code != 0 {
		t.Errorf("status a minute into an outage: exit %d, want 0 (it needs attention after 30 minutes)\n%s", code, out)
	}
	if !strings.Contains(d.log(), `"message":"crm call failed as a whole, cooling down"`) {
		t.Errorf("no cool-down logged:\n%s", d.log())
	}
}

// TestSyncSaysWhyTheCRMFailed: `syncd sync` with the CRM refusing
// connections said "1 claimed, 0 done, 1 retried later" and nothing of why
// (its log line only "status":0,"code":"NETWORK"). It says the CRM did not
// answer and how (the connection refused), and, no daemon serving the
// database, that what waits goes out with a syncd sync run once it
// answers, exit 5 (it said "by itself", exit 6). Its log on stderr is
// lines a person reads, not the daemon's JSON (`{"level":"warn",…}`).
// The call named is the read of the account the token belongs to: no
// account recorded yet, it comes before the first write.
func TestSyncSaysWhyTheCRMFailed(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config := leadWithTheCRMDown(t)
	out, stderr, code := syncdRun(t, "sync", "-config", config)
	if code != 5 {
		t.Errorf("sync with the CRM refusing connections, no daemon: exit %d, want 5\n%s%s", code, out, stderr)
	}
	mustContain(t, "sync with the CRM refusing connections", out,
		"the CRM failed the whole call: no answer (", "connection refused", "goes out with a syncd sync run once it answers",
		"no syncd daemon serves this database: nothing sends them by itself")
	mustContain(t, "its log", stderr, "syncd sync: warning: crm call failed as a whole", `error="`, "account_details: Get:", "connect: connection refused")
	if strings.Contains(stderr, `{"level"`) {
		t.Errorf("sync's log on stderr: the daemon's JSON lines, want plain ones\n%s", stderr)
	}
}

// leadWithTheCRMDown writes a configuration whose CRM address nothing
// listens at, and returns it once its daemon, stopped, has stored a lead
// and failed to send it there.
func leadWithTheCRMDown(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, "http://"+freeAddr(t)) // nothing listens there
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the daemon to try the CRM", func() bool { return strings.Contains(d.log(), "crm call failed as a whole") })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	return config
}

// TestCheckFailedByAnOutageClearsOnceTheCRMAnswers: the daemon started
// while the CRM was down (a reboot in the night): its account check failed
// on the outage, and status said "crm check: FAILING, 1 problem" and
// exited 5 for good, the leads long flowing and `syncd crm check`
// passing. Once a call goes through, the daemon checks again, and status
// follows. A check whose reads failed is said as such, not as the alarm
// of an account set up wrong ("crm check failed: run syncd crm check"),
// and status says it could not run.
func TestCheckFailedByAnOutageClearsOnceTheCRMAnswers(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, url, true)
	fake.AddFault(crmfake.Fault{Action: crmfake.ActError, Status: 503})
	d := start(t, config)
	// Each of the check's reads is tried four times, backing off: on a
	// loaded machine the check takes longer than waitFor's 30 s.
	for deadline := time.Now().Add(2 * time.Minute); !strings.Contains(d.log(), "crm check could not read the account"); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the check did not say its reads failed on the outage:\n%s", d.log())
		}
	}
	out, _, code := syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.Contains(out, "crm check     hubspot: COULD NOT RUN") {
		t.Fatalf("status with the check's reads failed: exit %d\n%s", code, out)
	}
	fake.ClearFaults()
	postTestdata(t, d, "eaf/email_lead.json")
	waitForRecords(t, fake, d, 1, 1, "the CRM back")
	waitFor(t, "status to follow the check passing", func() bool {
		out, _, code = syncdRun(t, "status", "-config", config)
		return code == 0 && strings.Contains(out, "crm check     hubspot: ok")
	})
	t.Log(grepLines(d.log(), "crm check"))
	if strings.Contains(d.log(), `"crm check failed`) {
		t.Errorf("the outage told as the account set up wrong:\n%s", d.log())
	}
}
