package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestMovedAccountGetsTheContactAsItsLeadsWroteIt: a person enquired on
// Lokalebasen (its lead writes the company, and the name on create) and
// then by email through EAF under a shorter name, both sent to the old
// HubSpot portal. After the move to a new portal, `syncd crm forget-links`
// made only the contact's newest operation pending again, the EAF lead's:
// the contact made in the new portal had no company and was named as the
// second lead names the person. Every delivered operation of a contact is
// now sent again, in order: the new portal's contact is the old one's.
// Failed before the fix: company "" and firstname "Angie" in the new
// portal.
func TestMovedAccountGetsTheContactAsItsLeadsWroteIt(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	oldFake, oldURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token", AccountID: 1111111})
	newFake, newURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token", AccountID: 2222222})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, oldURL)
	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json") // Angela Baker, Bakers Inc.
	waitForRecords(t, oldFake, d, 1, 1, "the Lokalebasen lead")
	raw, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	eaf := strings.NewReplacer("support@estateagentfeeds.com", "angela7913@hotmail.com", "EAF Support", "Angie B",
		"+44(0)20 3870 4550", "+4552250559").Replace(string(raw))
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(eaf)); err != nil || a.Code != 200 {
		t.Fatalf("post the EAF lead: %+v %v", a, err)
	}
	waitForRecords(t, oldFake, d, 1, 2, "the EAF lead of the same person")
	db := openDB(t, filepath.Join(dir, "data", "syncd.db")+"?mode=ro&_busy_timeout=10000")
	waitFor(t, "every operation done, every CRM id recorded", func() bool {
		var ops, links int
		return db.QueryRow(`SELECT count(*) FROM outbox WHERE state <> 'done'`).Scan(&ops) == nil && ops == 0 &&
			db.QueryRow(`SELECT count(*) FROM crm_links`).Scan(&links) == nil && links == 3
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	was := oldFake.State().Contacts[0].Properties
	if was["company"] != "Bakers Inc." || was["firstname"] != "Angela" {
		t.Fatalf("the old portal's contact: %v", was)
	}

	os.WriteFile(config, []byte(crmConfig(dir, newURL, e2eLBToken)), 0o600) // the new portal's token
	if out, stderr, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("crm setup in the new portal: exit %d\n%s%s", code, out, stderr)
	}
	out, stderr, code := syncdRun(t, "crm", "forget-links", "-config", config)
	t.Logf("syncd crm forget-links, exit %d:\n%s%s", code, out, stderr)
	mustContain(t, "forget-links", out, "forgot 3 CRM ids and 0 create intents; 4 operations are pending again (2 of contacts, each of their leads' in order; 2 of deals)")
	d = start(t, config)
	defer func() { d.stop(t, syscall.SIGTERM) }()
	waitForRecords(t, newFake, d, 1, 2, "forget-links")
	waitFor(t, "every operation done in the new portal", func() bool {
		var ops int
		return db.QueryRow(`SELECT count(*) FROM outbox WHERE state <> 'done'`).Scan(&ops) == nil && ops == 0
	})
	got := newFake.State().Contacts[0].Properties
	for _, p := range []string{"company", "firstname", "lastname", "email", "phone"} {
		if got[p] != was[p] {
			t.Errorf("the new portal's contact has %s %q, the old one's %q", p, got[p], was[p])
		}
	}
	if s := oldFake.State(); len(s.Contacts) != 1 || len(s.Deals) != 2 {
		t.Fatalf("the old portal changed: %d contacts, %d deals", len(s.Contacts), len(s.Deals))
	}
}
