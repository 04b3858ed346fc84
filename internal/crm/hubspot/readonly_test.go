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

// TestReadOnlyPropertyPauses: a mapping that writes a property HubSpot
// calculates (a calculation property made in the account, hs_object_id)
// has every lead refused alike (READ_ONLY_VALUE), whatever its values:
// the mapping's fault, which crm check names. One call per batch, every
// deal ErrConfig naming the property (the syncer pauses, the leads wait),
// none dead-lettered. Each batch used to be split down to single inputs
// and every lead dead-lettered.
func TestReadOnlyPropertyPauses(t *testing.T) {
	t.Parallel()
	for _, prop := range []string{"days_open", "hs_object_id"} {
		t.Run(prop, func(t *testing.T) {
			srv, a := setup(t, crmfake.Options{StrictSchema: true}, hubspot.Options{})
			srv.SetProperty("deals", crmfake.Property{Name: "days_open", Label: "Days open", Type: "number", FieldType: "calculation_equation", Calculated: true})
			cs, ds := hubspotLeads(8)
			cr, _ := deliver(t, a, cs, nil, 1)
			for i := range ds {
				ds[i].ContactID = cr[i].ID
				ds[i].Properties[prop] = "7"
			}
			for i, r := range a.UpsertDeals(context.Background(), ds) {
				var ce *syncd.CRMError
				if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrConfig || ce.Property != prop {
					t.Fatalf("deal %d: %v (class %v)", i, r.Err, crmtest.Class(r.Err))
				}
			}
			if n := srv.CountRequests("POST", "/crm/v3/objects/deals/batch/upsert", 0); n != 1 {
				t.Fatalf("%d batch requests for 8 deals, want 1", n)
			}
			if n := len(srv.State().Deals); n != 0 {
				t.Fatalf("%d deals stored", n)
			}
		})
	}
}
