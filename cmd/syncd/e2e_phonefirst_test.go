package main_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestPhoneFirstThenEmailIsOneHubSpotContact: a client enquires on
// Lokalebasen with a phone and no email, then again with an email and the
// same phone. The second lead made a second HubSpot contact (HubSpot is
// unique by email alone), its deal on it. Now the email goes onto the
// contact syncd made for the phone, the person's name being the same, and
// both deals are on that one contact; a colleague answering the same phone
// under another name still gets a contact of their own.
func TestPhoneFirstThenEmailIsOneHubSpotContact(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	d := start(t, writeCRMConfig(t, dir, url))
	lead := func(location, client string) string {
		return `{"event_type":"enquiry_created","payload":{"location":{"id":"` + location + `","href":"https://www.lokalebasen.dk/x/` +
			location + `"},"enquiry":{"type":"direct"},"client":{` + client + `,"phone":"33 44 55 66"},"comment":"call me"}}`
	}
	for i, body := range []string{
		lead("30001", `"name":"Per Hansen"`),
		lead("30002", `"name":"Per Hansen","email":"per@hansen.dk"`),
		lead("30003", `"name":"Mette Jensen","email":"mette@firm.dk"`),
	} {
		if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(body)); err != nil || a.Code != 200 {
			t.Fatalf("post lead %d: %+v %v", i+1, a, err)
		}
		waitFor(t, "the lead's deal associated", func() bool {
			s := fake.State()
			return len(s.Deals) == i+1 && len(s.Deals[i].ContactIDs) == 1
		})
	}
	s := fake.State()
	if len(s.Contacts) != 2 {
		t.Fatalf("HubSpot holds %d contacts of 2 persons: %+v", len(s.Contacts), s.Contacts)
	}
	per := s.ContactsByEmail["per@hansen.dk"]
	if len(per) != 1 || per[0].Properties["phone"] != "+4533445566" {
		t.Fatalf("Per's contact: %+v", per)
	}
	if s.Deals[0].ContactIDs[0] != per[0].ID || s.Deals[1].ContactIDs[0] != per[0].ID || s.Deals[2].ContactIDs[0] == per[0].ID {
		t.Fatalf("deals on contacts %v, %v, %v; Per's is %s", s.Deals[0].ContactIDs, s.Deals[1].ContactIDs, s.Deals[2].ContactIDs, per[0].ID)
	}
	if strings.Contains(d.log(), "per@hansen.dk") {
		t.Errorf("the daemon's log names the lead's email")
	}
}
