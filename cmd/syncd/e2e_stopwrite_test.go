package main_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestStopWhileADealIsMadeRecordsItsID: systemctl stop comes while
// Pipedrive takes two seconds to answer the create of a lead's deal. The
// stop cut the call: Pipedrive made the deal, syncd lost its id and kept
// only the create's intent, so the deal's next write had to wait
// settle_time and look for it in Pipedrive's lists. The write now gets its
// answer before the daemon exits: the deal's id is recorded, no intent is
// left, and nothing waits.
func TestStopWhileADealIsMadeRecordsItsID(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token"})
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(pipedriveConfig(dir, url)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("crm setup: exit %d\n%s%s", code, out, stderr)
	}
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/api/v2/deals", Action: crmfake.ActSlow, Delay: 2 * time.Second, Uses: 1})
	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitFor(t, "the deal's create at Pipedrive", func() bool { return fake.Faults()[0].Fired == 1 })
	began := time.Now()
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	t.Logf("stopped in %v", time.Since(began).Round(time.Millisecond))
	if c, deals := fake.Count(); c != 1 || deals != 1 {
		t.Fatalf("%d persons, %d deals in Pipedrive; want the lead's one each", c, deals)
	}
	db := openDB(t, filepath.Join(dir, "data", "syncd.db")+"?mode=ro")
	var links, intents, pending int
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM crm_links), (SELECT count(*) FROM crm_intents),
		(SELECT count(*) FROM outbox WHERE state = 'pending')`).Scan(&links, &intents, &pending); err != nil {
		t.Fatal(err)
	}
	if links != 2 || intents != 0 || pending != 0 {
		t.Fatalf("after the stop: %d CRM ids recorded, %d create intents, %d operations pending; want 2, 0, 0\n%s",
			links, intents, pending, d.log())
	}
}

// TestStopWhileHubSpotTakesTheContactsRecordsThem: as on Pipedrive, the
// stop comes while HubSpot takes two seconds to answer the batch upsert of
// a lead's contact. The answer is recorded (the contact's operation done,
// its id linked); the deal, not begun when the stop came, is not sent and
// waits for the next start.
func TestStopWhileHubSpotTakesTheContactsRecordsThem(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, url)
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/upsert", Action: crmfake.ActSlow,
		Delay: 2 * time.Second, Uses: 1})
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the contact's upsert at HubSpot", func() bool { return fake.Faults()[0].Fired == 1 })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if c, deals := fake.Count(); c != 1 || deals != 0 {
		t.Fatalf("%d contacts, %d deals in HubSpot; want the contact, no deal", c, deals)
	}
	db := openDB(t, filepath.Join(dir, "data", "syncd.db")+"?mode=ro")
	var contactDone, contactLinks, dealsPending int
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM outbox WHERE kind = 'contact' AND state = 'done'),
		(SELECT count(*) FROM crm_links WHERE kind = 'contact'),
		(SELECT count(*) FROM outbox WHERE kind = 'deal' AND state = 'pending')`).Scan(&contactDone, &contactLinks, &dealsPending); err != nil {
		t.Fatal(err)
	}
	if contactDone != 1 || contactLinks != 1 || dealsPending != 1 {
		t.Fatalf("after the stop: %d contact operations done, %d contact ids recorded, %d deals pending; want 1, 1, 1\n%s",
			contactDone, contactLinks, dealsPending, d.log())
	}
}
