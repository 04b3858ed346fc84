package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestSamePersonsLeadsAreOneCRMContact: three leads of one person, his
// address written as portals pass it on (its domain in Unicode, in IDNA's
// ASCII form "xn--mller-vua.dk", in capitals with the DNS root's trailing
// dot) and his phone as "+45 52 25 05 59", "0045 52250559" and
// "+4552250559", reach the real binary over HTTP with the shipped
// mappings of HubSpot and of Pipedrive. The ASCII form made a second
// contact in both (to HubSpot another address; Pipedrive dedupes nothing),
// and the dotted address, left out, made a third, known by its phone;
// HubSpot refused the Unicode domain (INVALID_EMAIL), the lead dead. Now
// each lead is a deal of its own, all three on the one contact, its
// domain in ASCII in HubSpot and in Unicode in Pipedrive.
func TestSamePersonsLeadsAreOneCRMContact(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	for _, c := range []struct {
		kind, token, email string
		config             func(dir, url string) string
	}{
		{crmfake.KindPipedrive, "fake-pipedrive-token", "soren@møller.dk", pipedriveConfig},
		{crmfake.KindHubSpot, "fake-private-app-token", "soren@xn--mller-vua.dk", func(dir, url string) string { return crmConfig(dir, url, e2eLBToken) }},
	} {
		t.Run(c.kind, func(t *testing.T) {
			t.Parallel()
			samePersonsLeads(t, c.kind, c.token, c.email, c.config)
		})
	}
}

// samePersonsLeads posts the three leads to a daemon syncing to a stand-in
// of kind and checks they made one contact, of email, with three deals on
// it.
func samePersonsLeads(t *testing.T, kind, token, email string, config func(dir, url string) string) {
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: kind, Token: token})
	dir := t.TempDir()
	cfg := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(cfg, []byte(config(dir, fakeURL)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := syncdCmd("crm", "setup", "-config", cfg).CombinedOutput(); err != nil {
		t.Fatalf("crm setup: %v\n%s", err, out)
	}
	d := start(t, cfg)
	defer d.stop(t, syscall.SIGTERM)
	for i, c := range []struct{ email, phone string }{
		{"soren@møller.dk", "+45 52 25 05 59"},
		{"soren@xn--mller-vua.dk", "0045 52250559"},
		{" SOREN@MØLLER.DK. ", "+4552250559"},
	} {
		body := fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"same-%d","email_source":"rightmove","contact_name":"Søren Møller",`+
			`"contact_email":%q,"contact_phone":%q,"contact_message_flat":"A viewing, please.","eaf_date":"2026-11-30T06:28:06+01:00"}`,
			i, c.email, c.phone)
		if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(body)); err != nil || a.Status != "accepted" {
			t.Fatalf("post lead %d: %+v %v", i, a, err)
		}
	}
	defer func() {
		if t.Failed() {
			t.Logf("stand-in: %+v", fake.State())
			out, _ := syncdCmd("outbox", "list", "-config", cfg).CombinedOutput()
			t.Logf("outbox:\n%s", out)
		}
	}()
	waitFor(t, "three deals, each on a contact", func() bool {
		st := fake.State()
		on := 0
		for _, deal := range st.Deals {
			if len(deal.ContactIDs) > 0 {
				on++
			}
		}
		return on == 3
	})
	st := fake.State()
	if len(st.Contacts) != 1 || len(st.Duplicates()) > 0 {
		t.Fatalf("%d contacts (%v), want 1: %+v", len(st.Contacts), st.Duplicates(), st.Contacts)
	}
	p := st.Contacts[0]
	if p.Email != email || p.Phone != "+4552250559" {
		t.Errorf("the contact's email %q and phone %q, want %s and +4552250559", p.Email, p.Phone, email)
	}
	for _, deal := range st.Deals {
		if len(deal.ContactIDs) != 1 || deal.ContactIDs[0] != p.ID {
			t.Errorf("deal %s (lead %s) is on contacts %q, want %s", deal.ID, deal.LeadID, deal.ContactIDs, p.ID)
		}
	}
}
