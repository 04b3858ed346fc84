package main_test

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestStatusSaysThePaceOfADrain: after an outage the outbox drains as one
// sync run, hours long on a big day (50,000 contacts keyed by phone go at
// HubSpot's limit, about 5 a second), and the last sync is recorded at its
// end. Status showed the pending count and a last sync ever older, and
// nothing of how fast they went or when they would have gone. It now says,
// under the outbox line, how many the daemon finished in the last 10
// minutes, a minute's pace, and when at that pace the pending will have
// gone; nothing once none is pending.
func TestStatusSaysThePaceOfADrain(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, url, true)
	raw, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	small := strings.Replace(string(raw), "  prompt_delay: 100ms\n", "  prompt_delay: 100ms\n  batch_size: 5\n", 1)
	if err := os.WriteFile(config, []byte(small), 0o600); err != nil || small == string(raw) {
		t.Fatalf("batch_size not set (%v):\n%s", err, raw)
	}
	fake.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActSlow, Delay: 150 * time.Millisecond})
	d := start(t, config)
	const leads = 80
	for i := range leads {
		postNumberedLead(t, d, "pace", i)
	}
	said := regexp.MustCompile(`(?m)^outbox +hubspot: (\d+) pending.*\n +sending: (\d+) operations? finished in the last [0-9hms]+ ` +
		`\(([\d,]+) a minute\): the ([\d,]+) pending go in about [0-9hm]+ at that pace$`)
	var out string
	var m []string
	waitFor(t, "status to say the pace of the drain", func() bool {
		out, _, _ = syncdRun(t, "status", "-config", config)
		m = said.FindStringSubmatch(out)
		return m != nil
	})
	n, _ := strconv.Atoi(m[2])
	perMinute, _ := strconv.Atoi(strings.ReplaceAll(m[3], ",", ""))
	if n < 1 || n > 2*leads || perMinute < 1 || m[4] != m[1] {
		t.Errorf("pace line %q: want operations finished, a pace, and the pending of the outbox line (%s)\n%s", m[0], m[1], out)
	}
	waitFor(t, "the outbox to drain", func() bool {
		out, _, _ = syncdRun(t, "status", "-config", config)
		return strings.Contains(out, "hubspot: 0 pending")
	})
	if strings.Contains(out, "sending:") {
		t.Errorf("with nothing pending status still tells a pace:\n%s", out)
	}
}

// TestStatusTellsNoPaceWhileNothingIsSent: the pace line is a drain's, of
// a sync run sending. Between runs it took the last run's few operations
// for a pace: leads posted in the daemon's first minute were told to go
// "in about 13m at that pace", and went at the next run, seconds later;
// with the CRM down and the syncer waiting to try again, the pending were
// told to go in minutes though nothing went. It now tells a pace only
// while a run is sending to a CRM that answers.
func TestStatusTellsNoPaceWhileNothingIsSent(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := writeCRMConfigOnPort(t, t.TempDir(), url, true)
	d := start(t, config)
	postNumberedLead(t, d, "idle", 0)
	var out string
	waitFor(t, "the first lead to be sent", func() bool {
		out, _, _ = syncdRun(t, "status", "-config", config)
		return strings.Contains(out, "hubspot: 0 pending, 2 done")
	})
	fake.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 503})
	for i := 1; i <= 5; i++ {
		postNumberedLead(t, d, "idle", i)
	}
	waitFor(t, "status to tell the CRM failing with the leads pending", func() bool {
		out, _, _ = syncdRun(t, "status", "-config", config)
		return strings.Contains(out, "hubspot: 10 pending") && strings.Contains(out, "every CRM call failing since")
	})
	for range 3 {
		if out, _, _ = syncdRun(t, "status", "-config", config); strings.Contains(out, "sending:") {
			t.Fatalf("status tells a pace while the CRM fails every call and nothing is sent:\n%s", out)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// postNumberedLead posts Estate Agent Feeds lead i of a series named name
// (its eaf_id, contact and email made of both) and fails the test unless
// it is answered 200.
func postNumberedLead(t *testing.T, d *daemon, name string, i int) {
	t.Helper()
	body := fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"%s%d","email_source":"rightmove","contact_name":"%s %d Hansen",`+
		`"contact_email":"%s%d@example.com","eaf_reference":"876%d","eaf_date":"2026-12-05T06:28:06+01:00"}`, name, i, name, i, name, i, i)
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(body)); err != nil || a.Code != 200 {
		t.Fatalf("post lead %s %d: %+v %v", name, i, a, err)
	}
}
