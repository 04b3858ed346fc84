package main_test

import (
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestStatusAfterASyncByHandSaysTheCRMAnswers: every CRM call failed (503),
// so the daemon tries again only after its cool-down, 15 s to 10 minutes
// on. The CRM back, the operator ran syncd sync, as status's own hint
// says ("or now with syncd sync"), and it sent what waited. Status still
// said "hubspot: running; every CRM call failing since ..." beside "0
// pending", and the last sync of before the outage (past 30 minutes,
// "CRM FAILING", exit 5), until the daemon's own next try: the daemon's
// metrics know only its own runs. It says the last sync the database
// recorded, and no CRM failing once a sync went through after it began.
func TestStatusAfterASyncByHandSaysTheCRMAnswers(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, url, true)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	postTestdata(t, d, "eaf/email_lead.json")
	waitForRecords(t, fake, d, 1, 1, "the first lead")
	fake.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 503})
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitFor(t, "status to tell the CRM fails", func() bool {
		out, _, _ := syncdRun(t, "status", "-config", config)
		return strings.Contains(out, "every CRM call failing since ")
	})

	fake.ClearFaults()
	byHand := time.Now().Truncate(time.Second)
	if out, errOut, code := syncdRun(t, "sync", "-config", config); code != 0 || !strings.Contains(out, "0 dead") {
		t.Fatalf("sync by hand with the CRM back: exit %d\n%s%s", code, out, errOut)
	}
	out, _, code := syncdRun(t, "status", "-config", config)
	t.Logf("status after the sync by hand, exit %d:\n%s", code, out)
	if strings.Contains(out, "failing") || strings.Contains(out, "FAILING") {
		t.Errorf("status says the CRM fails after a sync by hand went through")
	}
	m := regexp.MustCompile(`(?m)^last sync +hubspot: (\S+ \S+ \S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatal("no last sync line")
	}
	last, err := time.Parse("2006-01-02 15:04:05 -07:00", m[1])
	if err != nil || last.Before(byHand) {
		t.Errorf("last sync %s (%v), want the sync by hand's, at %s or later", m[1], err, byHand)
	}
	if code != 0 {
		t.Errorf("status once the CRM answers and nothing waits: exit %d, want 0", code)
	}
}
