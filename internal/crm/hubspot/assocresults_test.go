package hubspot_test

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
)

// TestAssociationMissingFromA2xxIsRetried: HubSpot answers a batch
// association with 200 but leaves one input out of its results, naming it
// in no error either (crmfake's omit fault). Any 2xx was taken as every
// deal associated: the deal stayed in HubSpot without its contact while
// its operation was done. Now each input is looked for in the results
// (from and to ids, or fromObjectId and toObjectId as the labelled
// create answers); one not there is associated again alone.
func TestAssociationMissingFromA2xxIsRetried(t *testing.T) {
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	cs, ds := leads(3)
	cr := a.UpsertContacts(context.Background(), cs)
	for i := range cr {
		if cr[i].Err != nil {
			t.Fatal(cr[i].Err)
		}
		ds[i].ContactID = cr[i].ID
	}
	srv.AddFault(crmfake.Fault{Method: "POST", Path: assocBatch, Action: crmfake.ActOmit, Uses: 1})
	dr := a.UpsertDeals(context.Background(), ds)
	if n := srv.Faults()[0].Fired; n != 1 {
		t.Fatalf("the fault fired %d times", n)
	}
	st := srv.State()
	for i, r := range dr {
		got := st.DealsByLead[ds[i].LeadID]
		if len(got) != 1 {
			t.Fatalf("lead %d: %d deals", i, len(got))
		}
		if r.Err == nil && len(got[0].ContactIDs) != 1 {
			t.Errorf("lead %d: taken as associated (%+v), but its deal has contacts %v", i, r, got[0].ContactIDs)
		}
	}
	cr2, dr2 := deliver(t, a, cs, ds, 3)
	checkClean(t, srv, 3, cr2, dr2)
}
