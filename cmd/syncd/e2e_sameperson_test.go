package main_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestSamePersonsLeadsAreOnePipedrivePerson: three leads of one person,
// her address written as portals pass it on (its domain in Unicode, in
// IDNA's ASCII form "xn--mller-vua.dk", in capitals with the DNS root's
// trailing dot) and her phone as "+45 52 25 05 59", "0045 52250559" and
// "+4552250559", reach the real binary over HTTP with the shipped
// Pipedrive mappings. Pipedrive dedupes nothing: the ASCII form made a
// second person, the trailing dot a lead held back unmapped. Now each
// lead is a deal of its own, all three on the one person.
func TestSamePersonsLeadsAreOnePipedrivePerson(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token"})
	dir := t.TempDir()
	cfg := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(cfg, []byte(pipedriveConfig(dir, fakeURL)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(syncdBin, "crm", "setup", "-config", cfg).CombinedOutput(); err != nil {
		t.Fatalf("crm setup: %v\n%s", err, out)
	}
	d := start(t, cfg)
	defer d.stop(t, syscall.SIGTERM)
	for i, c := range []struct{ email, phone string }{
		{"søren@møller.dk", "+45 52 25 05 59"},
		{"søren@xn--mller-vua.dk", "0045 52250559"},
		{" SØREN@MØLLER.DK. ", "+4552250559"},
	} {
		body := fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"same-%d","email_source":"rightmove","contact_name":"Søren Møller",`+
			`"contact_email":%q,"contact_phone":%q,"contact_message_flat":"A viewing, please.","eaf_date":"2026-11-30T06:28:06+01:00"}`,
			i, c.email, c.phone)
		if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(body)); err != nil || a.Status != "accepted" {
			t.Fatalf("post lead %d: %+v %v", i, a, err)
		}
	}
	waitFor(t, "three deals", func() bool { return len(fake.State().Deals) == 3 })
	st := fake.State()
	if len(st.Contacts) != 1 || len(st.Duplicates()) > 0 {
		t.Fatalf("%d persons (%v), want 1: %+v", len(st.Contacts), st.Duplicates(), st.Contacts)
	}
	p := st.Contacts[0]
	if len(p.Emails) != 1 || p.Emails[0] != "søren@møller.dk" || len(p.Phones) != 1 || p.Phones[0] != "+4552250559" {
		t.Errorf("the person's emails %q and phones %q, want søren@møller.dk and +4552250559", p.Emails, p.Phones)
	}
	for _, deal := range st.Deals {
		if len(deal.ContactIDs) != 1 || deal.ContactIDs[0] != p.ID {
			t.Errorf("deal %s (lead %s) is on persons %q, want %s", deal.ID, deal.LeadID, deal.ContactIDs, p.ID)
		}
	}
}
