package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestAgencyMovedToAnotherHubSpotAccount: an agency moves to a new HubSpot
// portal and keeps its syncd database. The CRM ids syncd holds are the old
// portal's: the daemon on the new token says the account changed, and
// `syncd crm forget-links` writes the earlier lead into the new portal, a
// contact and a deal made there as on a first delivery (its create-only
// properties too), without touching the old portal. Run again there, it
// refuses: the ids are now the new portal's. The fix in the log said that
// running on the new token before forget-links sent the CRM erasures
// waiting into the new portal, which syncd no longer does: it says that
// nothing goes there until then.
func TestAgencyMovedToAnotherHubSpotAccount(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	m := leadInTheOldPortal(t)
	oldFake, newFake, newURL, dir, config, d := m.oldFake, m.newFake, m.newURL, m.dir, m.config, m.d
	if strings.Contains(d.log(), "crm account changed") {
		t.Fatalf("an account change logged on the first account:\n%s", d.log())
	}

	os.WriteFile(config, []byte(crmConfig(dir, newURL, e2eLBToken)), 0o600) // the new portal's token
	d = start(t, config)
	waitFor(t, "the account change in the log", func() bool { return strings.Contains(d.log(), "crm account changed") })
	mustContain(t, "start log", d.log(), `"level":"error"`, `"account_id":"2222222","linked_account_id":"1111111"`,
		"made in hub id 1111111, the token belongs to hub id 2222222", "syncd crm forget-links",
		"until then syncd sends nothing into this account: new leads wait")

	out, _, _ := syncdRun(t, "crm", "check", "-config", config)
	t.Logf("syncd crm check:\n%s", out)
	mustContain(t, "crm check", out, "the CRM ids syncd holds were made in hub id 1111111, not in this one", "syncd crm forget-links")
	// As the README says: stop syncd, forget the links, start it (the
	// daemon writes only into the account its CRM ids were made in).
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(d.log(), "crm account changed"); n != 1 {
		t.Fatalf("the account change logged %d times", n)
	}
	out, stderr, code := syncdRun(t, "crm", "forget-links", "-config", config)
	t.Logf("syncd crm forget-links, exit %d:\n%s%s", code, out, stderr)
	if code != 0 {
		t.Fatalf("forget-links: exit %d", code)
	}
	mustContain(t, "forget-links", out, "hubspot account: hub id 2222222", "forgot 2 CRM ids and 0 create intents; 2 operations are pending again (1 of contacts, each of their leads' in order; 1 of deals)")
	d = start(t, config)
	waitForRecords(t, newFake, d, 1, 1, "forget-links")
	// The deal is associated with its contact by a call after the one
	// that made it: wait for that too.
	waitFor(t, "the deal associated", func() bool { return len(newFake.State().Deals[0].ContactIDs) > 0 })
	deal := newFake.State().Deals[0]
	if deal.Properties["dealstage"] != "appointmentscheduled" || deal.Properties["dealname"] == "" || len(deal.ContactIDs) != 1 {
		t.Fatalf("the deal in the new portal: %+v", deal)
	}
	if s := oldFake.State(); len(s.Contacts) != 1 || len(s.Deals) != 1 {
		t.Fatalf("the old portal changed: %d contacts, %d deals", len(s.Contacts), len(s.Deals))
	}

	out, stderr, code = syncdRun(t, "crm", "forget-links", "-config", config)
	if code != 2 || !strings.Contains(stderr, "were made in this account: nothing forgotten") {
		t.Fatalf("forget-links again: exit %d\n%s%s", code, out, stderr)
	}
	if out, _, _ = syncdRun(t, "crm", "check", "-config", config); strings.Contains(out, "not in this one") {
		t.Fatalf("crm check after forget-links:\n%s", out)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(d.log(), "crm account changed") {
		t.Fatalf("an account change logged after forget-links:\n%s", d.log())
	}
}

// movedAgency is an agency's first HubSpot portal (hub id 1111111) holding
// its lead, the daemon that sent it there stopped, and the portal it moves
// to (hub id 2222222), empty.
type movedAgency struct {
	oldFake, newFake *crmfake.Server
	oldURL, newURL   string
	dir, config      string
	d                *daemon // the stopped daemon, for its log
}

// leadInTheOldPortal is a movedAgency, its configuration on the old portal.
func leadInTheOldPortal(t *testing.T) movedAgency {
	t.Helper()
	return leadInTheOldPortalPast(t, nil)
}

// leadInTheOldPortalPast is leadInTheOldPortal with fault on the old
// portal from the daemon's start.
func leadInTheOldPortalPast(t *testing.T, fault *crmfake.Fault) movedAgency {
	t.Helper()
	var m movedAgency
	m.oldFake, m.oldURL = startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token", AccountID: 1111111})
	m.newFake, m.newURL = startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token", AccountID: 2222222})
	m.dir = t.TempDir()
	m.config = writeCRMConfig(t, m.dir, m.oldURL)
	if fault != nil {
		m.oldFake.AddFault(*fault)
	}
	m.d = start(t, m.config)
	postTestdata(t, m.d, "eaf/email_lead.json")
	if fault != nil { // it may hold the lead back past waitForRecords' deadline
		waitFor(t, "the lead in the old portal", func() bool { c, d := m.oldFake.Count(); return c == 1 && d == 1 })
	}
	waitForRecords(t, m.oldFake, m.d, 1, 1, "the lead")
	// The CRM has the deal a moment before syncd records its id (after the
	// call associating it with its contact): stopped in between, the
	// deal's id would be missing from what forget-links forgets.
	db := openDB(t, filepath.Join(m.dir, "data", "syncd.db")+"?mode=ro&_busy_timeout=10000")
	waitFor(t, "both CRM ids recorded", func() bool {
		var n int
		return db.QueryRow(`SELECT count(*) FROM crm_links`).Scan(&n) == nil && n == 2
	})
	if err := m.d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestAgencyMovedToAnotherPipedriveCompany: as on HubSpot, for a move to
// another Pipedrive company, set up with `syncd crm setup` (its fields
// have other keys): the earlier lead's person and deal are made in the new
// company, once, found again by the deal's lead-id field there.
func TestAgencyMovedToAnotherPipedriveCompany(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	oldFake, oldURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token", AccountID: 4242})
	newFake, newURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token", AccountID: 5353})
	newFake.AddField("deal", crmfake.Field{Name: "Budget", Type: "double"}) // the new company's fields get other keys
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(config, []byte(pipedriveConfig(dir, oldURL)), 0o600)
	if out, stderr, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("crm setup: exit %d\n%s%s", code, out, stderr)
	}
	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitForRecords(t, oldFake, d, 1, 1, "the lead")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	os.WriteFile(config, []byte(pipedriveConfig(dir, newURL)), 0o600)
	out, stderr, code := syncdRun(t, "crm", "setup", "-config", config)
	t.Logf("crm setup in the new company, exit %d:\n%s%s", code, out, stderr)
	out, stderr, code = syncdRun(t, "crm", "check", "-config", config)
	t.Logf("crm check in the new company, exit %d:\n%s%s", code, out, stderr)
	d = start(t, config)
	waitFor(t, "the account change in the log", func() bool { return strings.Contains(d.log(), "crm account changed") })
	mustContain(t, "start log", d.log(), "made in company 4242, the token belongs to company 5353")
	if err := d.stop(t, syscall.SIGTERM); err != nil { // as the README says: forget the links with syncd stopped
		t.Fatal(err)
	}
	out, stderr, code = syncdRun(t, "crm", "forget-links", "-config", config)
	t.Logf("syncd crm forget-links, exit %d:\n%s%s", code, out, stderr)
	if code != 0 {
		t.Fatalf("forget-links: exit %d", code)
	}
	mustContain(t, "forget-links", out, `pipedrive account: company 5353`, "2 operations are pending again")
	d = start(t, config)
	waitForRecords(t, newFake, d, 1, 1, "forget-links")
	if dups := newFake.State().Duplicates(); len(dups) != 0 {
		t.Fatalf("duplicates in the new company: %v", dups)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}

// TestTokenThePinRefusedIsNoAccountMove: the first token was another
// client's, and the pin kept everything from its account. Once the right
// token is in, nothing says the account changed: no CRM id was made in
// the other one.
func TestTokenThePinRefusedIsNoAccountMove(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	_, otherURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token", AccountID: 7654321})
	right, rightURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token", AccountID: 1111111})
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	pinned := func(url string) {
		os.WriteFile(config, []byte(strings.Replace(crmConfig(dir, url, e2eLBToken), "    token: fake-private-app-token\n",
			"    token: fake-private-app-token\n    hub_id: 1111111\n", 1)), 0o600)
	}
	pinned(otherURL)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the pin to refuse the other account", func() bool { return strings.Contains(d.log(), `"code":"WRONG_ACCOUNT"`) })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	pinned(rightURL)
	d = start(t, config)
	syncdRun(t, "sync", "-resume", "-config", config)
	waitForRecords(t, right, d, 1, 1, "the right token")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(d.log(), "crm account changed") {
		t.Fatalf("an account change logged for a token the pin refused:\n%s", d.log())
	}
}
