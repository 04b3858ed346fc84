package main_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestEraseNamesTheContactOfDealsTheRetentionForgot: a lead's body and CRM
// operations were purged by the retention; syncd erase -crm of the person
// then GDPR-deleted their HubSpot contact and left the deal syncd had made
// for that lead, which holds their name and message, and neither erase nor
// export named it: syncd no longer knows which deals are the person's, and
// HubSpot's contract gives no read of a contact's deals. Both name the
// contact that holds them and say what to delete.
func TestEraseNamesTheContactOfDealsTheRetentionForgot(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, url, true)
	d := start(t, config)
	id := postTestdata(t, d, "eaf/email_lead.json").ID
	waitForRecords(t, fake, d, 1, 1, "the lead")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	syncdOK(t, "sync", "-config", config)
	path := filepath.Join(dir, "data", "syncd.db")
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
	deal, contact := st.Deals[0].ID, st.Deals[0].ContactIDs[0]

	const email = "support@estateagentfeeds.com"
	js := syncdOK(t, "export", "-config", config, "-email", email)
	mustContain(t, "export of a person whose lead the retention purged", js,
		`"deals in hubspot of the person's leads whose operations retention.outbox_days (90) dropped: contact `+contact+
			", linked at 2025-01-01 ", "may hold some that crm_links no longer names: open it in HubSpot, its deals that have syncd_lead_id set")
	out := syncdOK(t, "erase", "-config", config, "-email", email, "-crm")
	t.Log(out)
	mustContain(t, "erase -crm of a person whose lead the retention purged", out,
		"CRM erase queued: 1 operation for hubspot: contact "+contact,
		"\nolder deals: hubspot contact "+contact+" was linked at 2025-01-01 ",
		"more than retention.outbox_days (90) ago: it may hold deals of the person's earlier leads",
		"-crm deletes contact "+contact+", which then no longer lists them: in HubSpot search the deals for the person's name "+
			"and delete those that have syncd_lead_id set")
	syncdOK(t, "sync", "-config", config)
	// The erase deletes the contact, not the deal it could not know: the
	// line above is what leads the operator to it.
	st = fake.State()
	if len(st.ContactsByEmail[email]) != 0 || len(st.Deals) != 1 || st.Deals[0].ID != deal {
		t.Errorf("after the erase the stand-in holds contacts %v and deals %+v; want no contact and deal %s", st.ContactsByEmail[email], st.Deals, deal)
	}
}
