package main_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestOutageCarriedOverARestartEndsWhenTheCRMAnswers: a daemon restarted
// in an outage goes on from when the one before found every call failing
// (TestRestartInAnOutageKeepsItsStart). But when its own calls then went
// through, that start was kept all the same: the CRM's next failure,
// minutes or days later, was told as failing since the old outage's
// start ("every CRM call failing since 22:32:14 (22m14s ago)" while the
// calls at 22:54:17 had gone through), past 30 minutes at once, exit 5
// and the CRM-down alarm. A call that goes through ends it.
func TestOutageCarriedOverARestartEndsWhenTheCRMAnswers(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(crmConfig(dir, url, e2eLBToken), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	down := crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 503}
	fake.AddFault(down)
	failing := regexp.MustCompile(`every CRM call failing since (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d)`)
	since := func() time.Time {
		var m []string
		waitFor(t, "status to tell the CRM fails", func() bool {
			out, _, _ := syncdRun(t, "status", "-config", config)
			m = failing.FindStringSubmatch(out)
			return m != nil
		})
		at, err := time.Parse("2006-01-02 15:04:05 -07:00", m[1])
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	first := since()
	waitFor(t, "two seconds into the outage", func() bool { return time.Since(first) > 2*time.Second })
	d.stop(t, syscall.SIGTERM)

	fake.ClearFaults() // the CRM back as the daemon starts again
	restarted := time.Now().Truncate(time.Second)
	d = start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	waitForRecords(t, fake, d, 1, 1, "the lead held by the outage")
	fake.AddFault(down) // and down again, later
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	if again := since(); again.Before(restarted) {
		t.Errorf("the CRM answered the restarted daemon, then failed: every CRM call failing since %s, "+
			"the outage before the restart (%s); want a time after the restart (%s)\n%s", again, first, restarted, d.log())
	}
}
