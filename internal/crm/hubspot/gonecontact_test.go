package hubspot_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestContactGoneThroughADealEndsItsIntent: a phone-only contact created
// (its create intent recorded) and deleted in HubSpot soon after is found
// gone by its next deal's association. That path forgot the link but kept
// the intent, so the contact's new create waited for search to catch up
// with the old one (CREATE_UNSETTLED, up to search_lag) where the other
// path that finds a contact gone, its update's 404, lets it go at once.
func TestContactGoneThroughADealEndsItsIntent(t *testing.T) {
	t.Parallel()
	links := &crm.MemLinks{}
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{Links: links, SearchLag: time.Hour})
	c := syncd.Contact{Key: "+4520304052", Phone: "+4520304052", Properties: map[string]string{"firstname": "Phone"}}
	ctx := context.Background()
	r := a.UpsertContacts(ctx, []syncd.Contact{c})[0]
	if r.Err != nil || r.ID == "" {
		t.Fatalf("create: %+v", r)
	}
	if err := srv.DeleteContact(r.ID); err != nil {
		t.Fatal(err)
	}
	d := syncd.Deal{LeadID: "gone-1", ContactKey: c.Key, ContactID: r.ID, Properties: map[string]string{"dealname": "Gone"}}
	if dr := a.UpsertDeals(ctx, []syncd.Deal{d})[0]; crmtest.Class(dr.Err) != syncd.ErrContactGone {
		t.Fatalf("deal of the deleted contact: %+v", dr)
	}
	if id, _ := links.Link(ctx, hubspot.Name, syncd.RecordContact, c.Key); id != "" {
		t.Fatalf("deleted contact still linked to %s", id)
	}
	if sent, _ := links.Intent(ctx, hubspot.Name, syncd.RecordContact, c.Key); !sent.IsZero() {
		t.Errorf("the deleted contact's create intent of %v is kept", sent)
	}
	again := a.UpsertContacts(ctx, []syncd.Contact{c})[0]
	if again.Err != nil || again.ID == "" || again.ID == r.ID {
		t.Fatalf("the contact is not made again at once: %+v", again)
	}
}
