package hubspot_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestSharedPhoneReadsItsContactOncePerCall: one person enquired with only
// a phone (a broker's, a firm's switchboard), and syncd made a contact for
// it; then a batch of leads came with other people's emails and that same
// phone (the broker enquiring for each of his clients). Each lead of the
// batch read that same contact again to see whether it was the same
// person: a batch of 100 such leads made 100 reads of one contact, a
// hundred requests of HubSpot's 100 per 10 seconds, and on a big day the
// drain went at a tenth of its pace. The contact is now read once per call;
// the one lead that is its person still joins it, and no other lead does.
func TestSharedPhoneReadsItsContactOncePerCall(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const phone, clients = "+4533445566", 40
	links := &crm.MemLinks{}
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{Links: links})
	first := a.UpsertContacts(ctx, []syncd.Contact{{Key: phone, Phone: phone,
		Properties: map[string]string{"phone": phone, "firstname": "Per", "lastname": "Hansen"}}})[0]
	if first.Err != nil {
		t.Fatal(first.Err)
	}
	batch := make([]syncd.Contact, 0, clients+1)
	for i := range clients {
		email := fmt.Sprintf("client%d@firm.dk", i)
		batch = append(batch, syncd.Contact{Key: email, Email: email, Phone: phone,
			Properties: map[string]string{"email": email, "phone": phone, "firstname": "Client", "lastname": fmt.Sprint(i)}})
	}
	// Per himself, by email at last, in the middle of the batch.
	batch = append(batch[:clients/2], append([]syncd.Contact{{Key: "per@hansen.dk", Email: "per@hansen.dk", Phone: phone,
		Properties: map[string]string{"email": "per@hansen.dk", "phone": phone, "firstname": "Per", "lastname": "Hansen"}}},
		batch[clients/2:]...)...)
	before := srv.CountRequests("GET", "/crm/v3/objects/contacts/", 0)
	results := a.UpsertContacts(ctx, batch)
	reads := srv.CountRequests("GET", "/crm/v3/objects/contacts/", 0) - before
	ids := map[string]bool{}
	for i, r := range results {
		if r.Err != nil {
			t.Fatalf("lead %d (%s): %v", i, batch[i].Email, r.Err)
		}
		switch {
		case batch[i].Email == "per@hansen.dk" && r.ID != first.ID:
			t.Errorf("Per's email lead went to contact %s, not to the contact made for his phone (%s)", r.ID, first.ID)
		case batch[i].Email != "per@hansen.dk" && r.ID == first.ID:
			t.Errorf("client %s went to Per's contact %s", batch[i].Email, first.ID)
		}
		ids[r.ID] = true
	}
	if len(ids) != clients+1 || len(srv.State().Contacts) != clients+1 {
		t.Errorf("%d contacts for %d people (%d ids in the results)", len(srv.State().Contacts), clients+1, len(ids))
	}
	if reads != 1 {
		t.Errorf("the contact made for the shared phone was read %d times for one batch of %d leads, want once", reads, len(batch))
	}
}
