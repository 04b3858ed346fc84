package main_test

import (
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestEraseInCRMBesideRunningDaemon: erase -crm beside the daemon queues
// the delete of the person's deals and HubSpot's GDPR delete of their
// contact, which the daemon's own syncer sends; the other person's stay.
func TestEraseInCRMBesideRunningDaemon(t *testing.T) {
	t.Parallel()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)
	d := start(t, config)
	for _, p := range []e2ePerson{e2eJane, e2eBob} {
		for _, dl := range p.deliveries(t)[:3] {
			tok := map[string]string{"lokalebasen": e2eLBToken, "eaf": e2eEAFToken}[dl[0]]
			if a, err := post(d.url+"/hooks/"+dl[0]+"/"+tok, []byte(dl[1])); err != nil || a.Code != 200 {
				t.Fatalf("post: %+v %v", a, err)
			}
		}
	}
	jane, bob := strings.ToLower(e2eJane.email), strings.ToLower(e2eBob.email)
	waitFor(t, "both contacts in the CRM and nothing pending", func() bool {
		s := fake.State()
		return len(s.ContactsByEmail[jane]) == 1 && len(s.ContactsByEmail[bob]) == 1 &&
			len(syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config)) == 0
	})

	out := syncdOK(t, "erase", "-config", config, "-email", e2eJane.email, "-crm")
	if !strings.Contains(out, "CRM erase queued: 1 operation for hubspot") {
		t.Fatalf("erase -crm printed:\n%s", out)
	}
	waitFor(t, "the contact's GDPR delete and her deals' deletes", func() bool {
		st := fake.State()
		return len(st.ContactsByEmail[jane]) == 0 && len(st.Deals) == 3
	})
	if st := fake.State(); len(st.ContactsByEmail[bob]) != 1 || len(st.Deals) != 3 {
		t.Fatalf("after the erase the CRM holds %v for the other person and %d deals; want 1 and his 3",
			st.ContactsByEmail[bob], len(st.Deals))
	}
	if hits := e2eHits(t, filepath.Join(dir, "data"), e2eJane.needles()); len(hits) > 0 {
		t.Errorf("after the erase: %v", hits)
	}

	// Without -crm the CRM keeps the person's records and syncd forgets
	// them: the erase names them, so that they can be deleted by hand.
	bobContact := fake.State().ContactsByEmail[bob][0].ID
	var bobDeals []string
	for _, d := range fake.State().Deals {
		if slices.Contains(d.ContactIDs, bobContact) {
			bobDeals = append(bobDeals, d.ID)
		}
	}
	out = syncdOK(t, "erase", "-config", config, "-email", e2eBob.email)
	for _, id := range append([]string{"contact " + bobContact}, bobDeals...) {
		if !strings.Contains(out, id) || !strings.Contains(out, "left in the CRM: hubspot") {
			t.Fatalf("erase without -crm did not name %q of what the CRM still holds:\n%s", id, out)
		}
	}
	if len(bobDeals) != 3 || len(fake.State().ContactsByEmail[bob]) != 1 {
		t.Fatalf("erase without -crm: the CRM holds %d deals of the other person, want 3 (and the contact)", len(bobDeals))
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}

// TestEraseInCRMReachesAContactRecreatedByHand: a salesperson deleted the
// contact syncd made and made it again by hand, under a new id. erase -crm
// erases whoever holds the email now, not only the id syncd linked (which
// answers 404 and used to count as erased, leaving the person in HubSpot).
func TestEraseInCRMReachesAContactRecreatedByHand(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)
	d := start(t, config)
	for _, dl := range e2eJane.deliveries(t)[:1] {
		tok := map[string]string{"lokalebasen": e2eLBToken, "eaf": e2eEAFToken}[dl[0]]
		if a, err := post(d.url+"/hooks/"+dl[0]+"/"+tok, []byte(dl[1])); err != nil || a.Code != 200 {
			t.Fatalf("post: %+v %v", a, err)
		}
	}
	jane := strings.ToLower(e2eJane.email)
	waitFor(t, "the contact in the CRM and nothing pending", func() bool {
		return len(fake.State().ContactsByEmail[jane]) == 1 &&
			len(syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config)) == 0
	})
	old := fake.State().ContactsByEmail[jane][0].ID
	if err := fake.DeleteContact(old); err != nil {
		t.Fatal(err)
	}
	byHand := fake.AddContact(crmfake.Record{Properties: map[string]string{"email": jane, "firstname": "Jane", "phone": "+4520123456"}})

	out := syncdOK(t, "erase", "-config", config, "-email", e2eJane.email, "-crm")
	if !strings.Contains(out, "CRM erase now: 1 of the person's emails and phones looked up in hubspot") {
		t.Fatalf("erase -crm printed:\n%s", out)
	}
	waitFor(t, "the queued erase sent", func() bool {
		return len(syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config)) == 0
	})
	for _, c := range fake.State().Contacts {
		if c.ID == byHand || strings.EqualFold(c.Properties["email"], jane) {
			t.Fatalf("after erase -crm HubSpot still holds the person, recreated by hand as %s: %+v", byHand, c)
		}
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}
