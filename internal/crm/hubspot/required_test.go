package hubspot_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestRefusalOfAPropertyNoLeadCarriesIsTheAccounts: HubSpot refusing new
// contacts with 400 VALIDATION_ERROR for a property none of them carries
// and the mappings do not write ("region", which an admin made required;
// the stand-in's fault in HubSpot's documented shape). Each contact, by
// email in a batch or by phone alone in a create, was refused for good as
// if its own value were wrong (the batch halved down to single contacts):
// every lead dead-lettered. Now each is the account's configuration error
// naming the property, in one batch call; where the mappings do write the
// property, a lead without it is still refused as its own.
func TestRefusalOfAPropertyNoLeadCarriesIsTheAccounts(t *testing.T) {
	t.Parallel()
	refusal, _ := json.Marshal(map[string]any{"status": "error", "category": "VALIDATION_ERROR", "correlationId": "c1",
		"message": `Property values were not valid: [{"isValid":false,"message":"Property \"region\" is required","error":"REQUIRED","name":"region"}]`})
	contacts := func() []syncd.Contact {
		cs, _ := hubspotLeads(4)
		cs[3].Email, cs[3].Phone = "", "+4512345678"
		delete(cs[3].Properties, "email")
		return cs
	}
	for _, tc := range []struct {
		name    string
		written bool // the mappings write region
		class   syncd.ErrClass
	}{{"not written", false, syncd.ErrConfig}, {"written", true, syncd.ErrPermanent}} {
		t.Run(tc.name, func(t *testing.T) {
			var fields []syncd.FieldSpec
			if tc.written {
				fields = []syncd.FieldSpec{{Kind: syncd.RecordContact, Name: "region", Dynamic: true, Where: "x.yaml:7"}}
			}
			srv, a := setup(t, crmfake.Options{}, hubspot.Options{Fields: fields})
			for _, p := range []string{"/crm/v3/objects/contacts", "/crm/v3/objects/contacts/batch/upsert"} {
				srv.AddFault(crmfake.Fault{Method: "POST", Path: p, Action: crmfake.ActError, Status: 400, Body: string(refusal)})
			}
			for i, r := range a.UpsertContacts(context.Background(), contacts()) {
				var ce *syncd.CRMError
				if !errors.As(r.Err, &ce) || ce.Class != tc.class || ce.Property != "region" {
					t.Errorf("contact %d: %v (class %v), want class %v naming region", i, r.Err, crmtest.Class(r.Err), tc.class)
				}
			}
			n := srv.CountRequests("POST", "/crm/v3/objects/contacts/batch/upsert", 0)
			if !tc.written && n != 1 {
				t.Errorf("%d batch upserts for 3 contacts refused alike, want 1", n)
			}
		})
	}
}
