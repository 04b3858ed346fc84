package main_test

import (
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestProbeEveryLetsLeadsGoSoonAfterAnOutage: the CRM answered 504 to
// every request for a while (its gateway timing out), so the stuck-batch
// probe failed; then it came back but for one lead's contact, which draws
// a 504 whatever the batch, and the next lead's contact was claimed with
// it. The probe ran at most every 10 minutes while the failure stayed the
// same, so that batch read as the outage going on, and every lead waited
// up to a quarter of an hour after the CRM was back; nothing let an
// operator shorten it. sync.probe_every does: at 30s, the batch is found
// to be one the CRM never takes at the next tries, and the other lead
// goes within a few minutes.
func TestProbeEveryLetsLeadsGoSoonAfterAnOutage(t *testing.T) {
	t.Parallel()
	notInShort(t, waitsOutTimers)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := writeCRMConfigOnPort(t, t.TempDir(), url, true)
	b, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	yaml := strings.Replace(string(b), "  prompt_delay: 100ms\n", "  prompt_delay: 100ms\n  probe_every: 30s\n", 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)

	fake.AddFault(crmfake.Fault{Action: crmfake.ActError, Status: 504}) // every request: the probe fails too
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the daemon to find the CRM down", func() bool { return strings.Contains(d.log(), "crm call failed as a whole") })
	fake.ClearFaults()
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/upsert",
		BodyContains: "support@estateagentfeeds.com", Action: crmfake.ActError, Status: 504})
	postTestdata(t, d, "lokalebasen/enquiry_created.json")

	deadline := time.Now().Add(4 * time.Minute) // two tries at the default's back-off: 45 s to 1m30s, then the halves
	for len(fake.State().Contacts) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the lead claimed with the one the CRM never takes is not in the CRM 4 minutes after it came back\n%s", d.log())
		}
		time.Sleep(time.Second)
	}
}
