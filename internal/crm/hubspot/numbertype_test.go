package hubspot_test

import (
	"context"
	"errors"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// hubspotLeads are n leads with only HubSpot's properties (a strict
// account refuses Pipedrive's name and title).
func hubspotLeads(n int) ([]syncd.Contact, []syncd.Deal) {
	cs, ds := leads(n)
	for i := range cs {
		delete(cs[i].Properties, "name")
		delete(ds[i].Properties, "title")
	}
	return cs, ds
}

// TestLeadIDPropertyOfAnotherTypePauses: an account where syncd_lead_id
// was made by hand as a number (unique): HubSpot refuses every lead id
// (INVALID_INTEGER). That is the account's fault, which crm check names:
// one call per batch, every deal ErrConfig naming the property (the syncer
// pauses, the leads wait), none dead-lettered. Each batch used to be split
// down to single inputs, 398 requests for 200 deals, all dead-lettered.
func TestLeadIDPropertyOfAnotherTypePauses(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{StrictSchema: true}, hubspot.Options{})
	srv.SetProperty("deals", crmfake.Property{Name: "syncd_lead_id", Label: "Lead id", Type: "number", FieldType: "number", HasUniqueValue: true})
	cs, ds := hubspotLeads(200)
	dealsRefusedForTheLeadID(t, srv, a, cs, ds)
}

// TestNumberRefusedForOneLeadIsItsOwn: a value from the payload that a
// number property cannot take, in one lead of a batch, is that lead's: the
// others are written, it alone is refused for good (a dead letter).
func TestNumberRefusedForOneLeadIsItsOwn(t *testing.T) {
	t.Parallel()
	_, a := setup(t, crmfake.Options{StrictSchema: true}, hubspot.Options{})
	cs, ds := hubspotLeads(4)
	cr, _ := deliver(t, a, cs, nil, 1)
	for i := range ds {
		ds[i].ContactID = cr[i].ID
		ds[i].Properties["amount"] = "450000"
	}
	ds[2].Properties["amount"] = "450.000 kr"
	for i, r := range a.UpsertDeals(context.Background(), ds) {
		var ce *syncd.CRMError
		switch {
		case i == 2 && (!errors.As(r.Err, &ce) || ce.Class != syncd.ErrPermanent):
			t.Fatalf("the bad amount: %v (class %v)", r.Err, crmtest.Class(r.Err))
		case i != 2 && (r.Err != nil || r.ID == ""):
			t.Fatalf("deal %d: %+v", i, r)
		}
	}
}

// dealsRefusedForTheLeadID delivers the contacts cs, then the deals ds of
// 200 leads, and checks that the account refused syncd_lead_id itself: one
// call per batch of deals, each deal ErrConfig naming the property.
func dealsRefusedForTheLeadID(t *testing.T, srv *crmfake.Server, a syncd.CRM, cs []syncd.Contact, ds []syncd.Deal) {
	t.Helper()
	cr, _ := deliver(t, a, cs, nil, 1)
	for i := range ds {
		ds[i].ContactID = cr[i].ID
	}
	res := a.UpsertDeals(context.Background(), ds)
	if n := srv.CountRequests("POST", "/crm/v3/objects/deals/batch/upsert", 0); n != 2 {
		t.Fatalf("%d batch requests for 200 deals, want 2", n)
	}
	for i, r := range res {
		var ce *syncd.CRMError
		if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrConfig || ce.Property != "syncd_lead_id" {
			t.Fatalf("deal %d: %v (class %v)", i, r.Err, crmtest.Class(r.Err))
		}
	}
}
