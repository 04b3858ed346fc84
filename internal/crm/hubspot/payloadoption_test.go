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

// TestPayloadValueNotAnOptionIsTheLeadsAlone: a dropdown the mappings fill
// from the payload (a Lokalebasen enquiry type the account made a select
// of) and a lead with a value that is not one of its options, alone in its
// batch (one lead a minute): HubSpot refuses it (INVALID_OPTION), and the
// adapter took it for the account's fault, pausing every lead for two
// minutes with an alarm to fix an account `crm check` calls ready, before
// dead-lettering it. A value the mappings do not write as a constant is
// the lead's own: it alone is refused for good, at once. A constant the
// mappings write that is no option is still the account's (a pause).
func TestPayloadValueNotAnOptionIsTheLeadsAlone(t *testing.T) {
	t.Parallel()
	fields := []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "syncd_enquiry_type", Dynamic: true, Values: []string{"client"}}}
	srv, a := setup(t, crmfake.Options{StrictSchema: true}, hubspot.Options{Fields: fields})
	srv.SetProperty("deals", crmfake.Property{Name: "syncd_enquiry_type", Label: "Enquiry type", Type: "enumeration", FieldType: "select",
		Options: []crmfake.Option{{Label: "Extra", Value: "extra"}}})
	cs, ds := hubspotLeads(2)
	cr, _ := deliver(t, a, cs, nil, 1)
	for i := range ds {
		ds[i].ContactID = cr[i].ID
	}
	ds[0].Properties["syncd_enquiry_type"] = "matched" // from the payload
	ds[1].Properties["syncd_enquiry_type"] = "client"  // the mappings' constant, deleted in HubSpot
	want := []syncd.ErrClass{syncd.ErrPermanent, syncd.ErrConfig}
	for i, d := range ds {
		r := a.UpsertDeals(context.Background(), []syncd.Deal{d})[0]
		var ce *syncd.CRMError
		if !errors.As(r.Err, &ce) || ce.Class != want[i] || ce.Property != "syncd_enquiry_type" {
			t.Errorf("deal %d (%s): %v (class %v), want class %v", i, d.Properties["syncd_enquiry_type"], r.Err, crmtest.Class(r.Err), want[i])
		}
	}
}
