package hubspot_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestDeclaredTypeChangedInHubSpotPauses: the mappings declare
// syncd_enquiry_at a datetime (mappings/hubspot/eaf.yaml), and an admin made
// it a date picker in HubSpot, which then refuses every lead's time of day
// (INVALID_DATE). `syncd crm check` calls that an error, yet each batch was
// halved down to single deals (7 calls for 4) and every lead dead-lettered
// as if its own value were wrong. A value the declared type takes, refused
// for its type, is the account's fault: one call, every deal ErrConfig
// naming the property (the syncer pauses, the leads wait), none dead. A
// value the declared type does not take (a date not at midnight, from a
// mapping's mistake) is still that lead's own.
func TestDeclaredTypeChangedInHubSpotPauses(t *testing.T) {
	t.Parallel()
	const prop = "syncd_enquiry_at"
	fields := []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: prop, Type: "datetime", Dynamic: true, Where: "hubspot/eaf.yaml:31"}}
	srv, a := setup(t, crmfake.Options{StrictSchema: true}, hubspot.Options{Fields: fields})
	srv.SetProperty("deals", crmfake.Property{Name: prop, Label: "Enquiry at", Type: "date", FieldType: "date", GroupName: "syncd"})
	fs, err := a.Check(context.Background(), fields)
	if err != nil || !syncd.Failed(fs) {
		t.Fatalf("the check passed an account with %s a date: %+v, %v", prop, fs, err)
	}
	// Its fix said only to declare the property a date in the mappings (or
	// use another property), which would leave every lead's time of day
	// refused: the way back is the type the mappings write.
	if f := fs[len(fs)-1]; f.Name != prop || !strings.Contains(f.Fix, "make it a datetime property again in HubSpot") {
		t.Errorf("the check's finding: %+v; want its fix to say to make it a datetime again", f)
	}
	cs, ds := hubspotLeads(4)
	cr, _ := deliver(t, a, cs, nil, 1)
	for i := range ds {
		ds[i].ContactID = cr[i].ID
		ds[i].Properties[prop] = "2026-11-30T09:15:00Z"
	}
	for i, r := range a.UpsertDeals(context.Background(), ds) {
		var ce *syncd.CRMError
		if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrConfig || ce.Property != prop {
			t.Errorf("deal %d: %v (class %v), want the account's fault naming %s", i, r.Err, crmtest.Class(r.Err), prop)
		}
	}
	if n := srv.CountRequests("POST", "/crm/v3/objects/deals/batch/upsert", 0); n != 1 {
		t.Errorf("%d batch upserts for 4 deals refused for the account's type, want 1", n)
	}

	// The declared type is the property's again, and one lead's value is
	// not a datetime: that lead's own.
	srv.SetProperty("deals", crmfake.Property{Name: prop, Label: "Enquiry at", Type: "datetime", FieldType: "date", GroupName: "syncd"})
	ds[2].Properties[prop] = "30/11/2026 09:15"
	for i, r := range a.UpsertDeals(context.Background(), ds) {
		var ce *syncd.CRMError
		switch {
		case i == 2 && (!errors.As(r.Err, &ce) || ce.Class != syncd.ErrPermanent):
			t.Errorf("the lead's own bad datetime: %v (class %v), want refused for good", r.Err, crmtest.Class(r.Err))
		case i != 2 && (r.Err != nil || r.ID == ""):
			t.Errorf("deal %d: %+v", i, r)
		}
	}
}

// TestTypeRefusedInA207IsTheAccounts: HubSpot answers a batch upsert with
// a 207 (HubSpot/hubspot-api-ruby#403: "Enter a number…" for one input)
// refusing a deal's value for its property's type, where the property is
// syncd's lead id made a number by hand, or one the mappings declare a
// datetime made a date picker: every lead's value is refused alike. A 400
// saying so is the account's fault (a pause naming the property); in a 207
// each deal was dead-lettered as its own. Now it is the same configuration
// error; a value the declared type does not take stays the lead's.
func TestTypeRefusedInA207IsTheAccounts(t *testing.T) {
	t.Parallel()
	const at = "syncd_enquiry_at"
	fields := []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: at, Type: "datetime", Dynamic: true, Where: "hubspot/eaf.yaml:31"}}
	list := func(code, name, msg string) string {
		return `Property values were not valid: [{"isValid":false,"message":"` + msg + `","error":"` + code + `","name":"` + name + `"}]`
	}
	for _, tc := range []struct {
		name, value, message, property string
		class                          syncd.ErrClass
	}{
		{"lead id made a number", "2026-11-30T09:15:00Z", list("INVALID_INTEGER", "syncd_lead_id", "Enter a number."), "syncd_lead_id", syncd.ErrConfig},
		{"declared datetime made a date", "2026-11-30T09:15:00Z", list("INVALID_DATE", at, "2026-11-30T09:15:00Z is at 09:15:00 UTC, not midnight!"), at, syncd.ErrConfig},
		{"the lead's own value", "30/11/2026 09:15", list("INVALID_DATE", at, "30/11/2026 09:15 is not a valid date"), at, syncd.ErrPermanent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, a := setup(t, crmfake.Options{}, hubspot.Options{Fields: fields})
			cs, ds := hubspotLeads(2)
			cr, _ := deliver(t, a, cs, nil, 1)
			for i := range ds {
				ds[i].ContactID = cr[i].ID
				ds[i].Properties[at] = tc.value
			}
			srv.AddFault(crmfake.Fault{Method: "POST", Path: dealsUpsert, Action: crmfake.ActPartial, Uses: 1,
				Category: "VALIDATION_ERROR", Message: tc.message})
			failed := 0
			for i, r := range a.UpsertDeals(context.Background(), ds) {
				if r.Err == nil {
					continue
				}
				failed++
				var ce *syncd.CRMError
				if !errors.As(r.Err, &ce) || ce.Class != tc.class || ce.Property != tc.property {
					t.Errorf("deal %d: %v (class %v); want class %v naming %s", i, r.Err, crmtest.Class(r.Err), tc.class, tc.property)
				}
			}
			if failed != 1 {
				t.Fatalf("%d deals failed, want the one the 207 names", failed)
			}
		})
	}
}
