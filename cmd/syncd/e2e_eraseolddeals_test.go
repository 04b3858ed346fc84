package main_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// purgedLeadOfAPerson runs a daemon on the stand-in HubSpot that sends
// an EAF email lead, stops it, and ages the lead, its CRM links and
// operations past the retention, which purge then drops: what erase
// finds of a person whose lead the retention purged. It returns the
// configuration, the database's path, the stand-in, and the CRM ids of
// the deal and its contact.
func purgedLeadOfAPerson(t *testing.T) (config, path string, fake *crmfake.Server, deal, contact string) {
	t.Helper()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config = writeCRMConfigOnPort(t, dir, url, true)
	d := start(t, config)
	id := postTestdata(t, d, "eaf/email_lead.json").ID
	waitForRecords(t, fake, d, 1, 1, "the lead")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	syncdOK(t, "sync", "-config", config)
	path = filepath.Join(dir, "data", "syncd.db")
	ageEvent(t, path, id)
	if _, err := openDB(t, path).Exec(`UPDATE crm_links SET updated_at = '2025-01-01T12:00:00.000000Z'`); err != nil {
		t.Fatal(err)
	}
	if out := syncdOK(t, "purge", "-config", config); !strings.HasPrefix(out, "purged: 1 event body") {
		t.Fatalf("purge: %s", out)
	}
	st := fake.State()
	if len(st.Deals) != 1 || len(st.Deals[0].ContactIDs) != 1 {
		t.Fatalf("the stand-in holds %+v, want one deal of one contact", st.Deals)
	}
	return config, path, fake, st.Deals[0].ID, st.Deals[0].ContactIDs[0]
}

// unkeyDealLinks makes the database at path one upgraded from a syncd
// whose deal links named no contact: the links without it, and the state
// row the migration wrote.
func unkeyDealLinks(t *testing.T, path string) {
	t.Helper()
	if _, err := openDB(t, path).Exec(`UPDATE crm_links SET contact_key = '';
		INSERT INTO state (name, value, updated_at) VALUES ('deal_links_unkeyed', '2025-06-01T12:00:00.000Z', '2025-06-01T12:00:00.000Z')`); err != nil {
		t.Fatal(err)
	}
}

// eafLeadEmail is the email of testdata/eaf/email_lead.json's person.
const eafLeadEmail = "support@estateagentfeeds.com"

// TestEraseDeletesTheDealsOfLeadsTheRetentionPurged: a lead's body and CRM
// operations were purged by the retention; syncd erase -crm of the person
// then GDPR-deleted their HubSpot contact and left the deal syncd had made
// for that lead, which holds their name and message (syncd knew a deal as
// the person's by its operation, and HubSpot's contract gives no read of
// a contact's deals). The deal's link names its contact: export lists the
// deal, and erase -crm deletes it with the contact.
func TestEraseDeletesTheDealsOfLeadsTheRetentionPurged(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, _, fake, deal, contact := purgedLeadOfAPerson(t)
	js := syncdOK(t, "export", "-config", config, "-email", eafLeadEmail)
	mustContain(t, "export of a person whose lead the retention purged", js, `"crm_id": "`+deal+`"`)
	if strings.Contains(js, "older deals") || strings.Contains(js, "no longer names") {
		t.Errorf("export says of deals it cannot name, though it names the deal:\n%s", js)
	}
	out := syncdOK(t, "erase", "-config", config, "-email", eafLeadEmail, "-crm")
	mustContain(t, "erase -crm of a person whose lead the retention purged", out,
		"CRM erase queued: 1 operation for hubspot: contact "+contact+", deal "+deal)
	if strings.Contains(out, "older deals:") {
		t.Errorf("erase said of older deals though it knows them:\n%s", out)
	}
	syncdOK(t, "sync", "-config", config)
	if st := fake.State(); len(st.ContactsByEmail[eafLeadEmail]) != 0 || len(st.Deals) != 0 {
		t.Errorf("after the erase the stand-in holds contacts %v and deals %+v; want none", st.ContactsByEmail[eafLeadEmail], st.Deals)
	}
}

// TestEraseNamesTheContactOfDealsTheRetentionForgot: on a database whose
// deal links were recorded before they named their contact, of leads
// whose operations the retention purged before the upgrade (the links
// without it, and the state row the migration wrote), nothing tells
// syncd which deals are the person's: erase and export name the contact
// that holds them and say what to delete.
func TestEraseNamesTheContactOfDealsTheRetentionForgot(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, path, fake, deal, contact := purgedLeadOfAPerson(t)
	unkeyDealLinks(t, path)
	js := syncdOK(t, "export", "-config", config, "-email", eafLeadEmail)
	mustContain(t, "export of a person whose lead the retention purged", js,
		`"deals in hubspot of the person's leads whose operations retention.outbox_days (90) dropped: contact `+contact+
			", linked at 2025-01-01 ", "may hold some that crm_links no longer names: open it in HubSpot, its deals that have syncd_lead_id set")
	out := syncdOK(t, "erase", "-config", config, "-email", eafLeadEmail, "-crm")
	mustContain(t, "erase -crm of a person whose lead the retention purged", out,
		"CRM erase queued: 1 operation for hubspot: contact "+contact,
		"\nolder deals: hubspot contact "+contact+" was linked at 2025-01-01 ",
		"more than retention.outbox_days (90) before syncd recorded each deal's contact: it may hold deals of the person's earlier leads",
		"-crm deletes contact "+contact+", which then no longer lists them: in HubSpot search the deals for the person's name "+
			"and delete those that have syncd_lead_id set")
	syncdOK(t, "sync", "-config", config)
	// The erase deletes the contact, not the deal it could not know: the
	// line above is what leads the operator to it.
	st := fake.State()
	if len(st.ContactsByEmail[eafLeadEmail]) != 0 || len(st.Deals) != 1 || st.Deals[0].ID != deal {
		t.Errorf("after the erase the stand-in holds contacts %v and deals %+v; want no contact and deal %s", st.ContactsByEmail[eafLeadEmail], st.Deals, deal)
	}
}

// TestEraseOlderDealsLineOfAMergedContactIsTrue: as above, but a
// salesperson merged the person's contact with another person's, so erase
// -crm leaves it (CRM NOT ERASED, exit 5). Its older deals line said "-crm
// deletes contact X, which then no longer lists them", while X stayed,
// listing them: it says the contact was not deleted and to delete the
// person's deals on it.
func TestEraseOlderDealsLineOfAMergedContactIsTrue(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, path, fake, deal, contact := purgedLeadOfAPerson(t)
	unkeyDealLinks(t, path)
	other := fake.AddContact(crmfake.Record{Properties: map[string]string{"email": "someone.else@example.net", "firstname": "Someone"}})
	if _, err := fake.MergeContacts(other, contact); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := syncdRun(t, "erase", "-config", config, "-email", eafLeadEmail, "-crm")
	if code != 5 {
		t.Fatalf("erase -crm of a person in a merged contact: exit %d, want 5\n%s%s", code, out, errOut)
	}
	mustContain(t, "erase -crm of a person in a merged contact whose older deals syncd forgot", out,
		"CRM NOT ERASED: hubspot: contact ",
		"\nolder deals: hubspot contact "+contact+" was linked at 2025-01-01 ",
		"-crm did not delete contact "+contact+" (CRM NOT ERASED above), which still lists them beside the deals of whoever "+
			"else it holds: in HubSpot open it and delete the person's deals among them that have syncd_lead_id set")
	if strings.Contains(out, "-crm deletes contact "+contact) {
		t.Errorf("erase says -crm deletes contact %s, which it left:\n%s", contact, out)
	}
	if st := fake.State(); len(st.Deals) != 1 || st.Deals[0].ID != deal {
		t.Errorf("the stand-in holds deals %+v; want deal %s, which syncd no longer knows", st.Deals, deal)
	}
}
