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

// TestLeadOfAPersonErasedInHubSpotMakesTheContactAgain: HubSpot's
// permanent (GDPR) delete blocklists the email against its screens and
// imports, not against its API ("Perform a permanent delete in HubSpot",
// knowledge.hubspot.com, 2025-06-09): the person's next enquiry makes the
// contact again, as a form of theirs would, and its deal goes with it.
func TestLeadOfAPersonErasedInHubSpotMakesTheContactAgain(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	ctx := context.Background()
	cs, ds := hubspotLeads(1)
	cr, _ := deliver(t, a, cs, nil, 1)
	if ok, err := a.EraseHolders(ctx, cs[0].Email, syncd.PersonKeys{}); !ok || err != nil {
		t.Fatalf("GDPR delete by email: %v, %v", ok, err)
	}
	if c, _ := srv.Count(); c != 0 {
		t.Fatalf("%d contacts left after the GDPR delete", c)
	}
	again, dr := deliver(t, a, cs, ds, 1)
	if again[0].Err != nil || again[0].ID == "" || again[0].ID == cr[0].ID || dr[0].Err != nil {
		t.Fatalf("the person's next lead: contact %+v, deal %+v; want a new contact and its deal", again[0], dr[0])
	}
}

// TestEmailHubSpotRefusesIsThatLeadsAlone: should HubSpot refuse an email
// after all (a blocklisted one: no public report shows it doing so, and
// its words are not known), in a 400 naming no property, only the lead
// with that email is refused for good, with HubSpot's words (its dead
// letter's reason); the others of its batch are written.
func TestEmailHubSpotRefusesIsThatLeadsAlone(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	cs, _ := hubspotLeads(8)
	const words = "This email address was permanently deleted from the portal and cannot be used again."
	srv.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/upsert", Action: crmfake.ActError, Status: 400,
		BodyContains: cs[5].Email, Body: `{"status":"error","category":"VALIDATION_ERROR","correlationId":"c1","message":"` + words + `"}`})
	for i, r := range a.UpsertContacts(context.Background(), cs) {
		var ce *syncd.CRMError
		switch {
		case i == 5 && (!errors.As(r.Err, &ce) || ce.Class != syncd.ErrPermanent || !strings.Contains(ce.Error(), words)):
			t.Errorf("the refused email: %v (class %v), want refused for good with HubSpot's words", r.Err, crmtest.Class(r.Err))
		case i != 5 && (r.Err != nil || r.ID == ""):
			t.Errorf("contact %d: %+v", i, r)
		}
	}
}
