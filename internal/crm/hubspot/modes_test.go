package hubspot_test

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestEditsSurviveUpdates: a salesperson moves the deal on, changes the
// contact's lifecycle stage and name; sending the lead again (a replay) and
// a second lead keep them, while new records still get their stage.
func TestEditsSurviveUpdates(t *testing.T) {
	t.Parallel()
	modes := syncd.WriteModes{
		syncd.RecordContact: {"firstname": syncd.WriteCreate, "lifecyclestage": syncd.WriteCreate},
		syncd.RecordDeal:    {"dealstage": syncd.WriteCreate, "pipeline": syncd.WriteCreate},
	}
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{Modes: modes})
	ctx := context.Background()
	cs, ds := crmtest.Leads(2)
	cs[0].Properties["lifecyclestage"] = "lead"
	for i := range ds {
		ds[i].Properties["dealstage"], ds[i].Properties["pipeline"] = "appointmentscheduled", "default"
	}
	cr, dr := crmtest.Deliver(ctx, a, cs[:1], ds[:1], 3)
	crmtest.CheckClean(t, srv, 1, cr, dr)
	if err := srv.EditContact(cr[0].ID, crmfake.Edit{Properties: map[string]string{"firstname": "Annie", "lifecyclestage": "opportunity"}}); err != nil {
		t.Fatal(err)
	}
	if err := srv.EditDeal(dr[0].ID, crmfake.Edit{Properties: map[string]string{"dealstage": "contractsent"}}); err != nil {
		t.Fatal(err)
	}
	second := ds[1]
	second.ContactKey = cs[0].Key
	if _, dr2 := crmtest.Deliver(ctx, a, cs[:1], []syncd.Deal{ds[0], second}, 3); dr2[0].Err != nil || dr2[1].Err != nil {
		t.Fatalf("resend: %v %v", dr2[0].Err, dr2[1].Err)
	}
	st := srv.State()
	c := st.ContactsByEmail[cs[0].Email][0]
	if c.Properties["firstname"] != "Annie" || c.Properties["lifecyclestage"] != "opportunity" {
		t.Errorf("contact edits lost: %v", c.Properties)
	}
	if got := st.DealsByLead[ds[0].LeadID][0].Properties["dealstage"]; got != "contractsent" {
		t.Errorf("deal moved back to %s", got)
	}
	if got := st.DealsByLead[ds[1].LeadID][0].Properties["dealstage"]; got != "appointmentscheduled" {
		t.Errorf("new deal stage %q", got)
	}
}

// TestReadFirstKeepsErrorClasses: the batch read before an upsert answers
// a rejected token like any call, so the adapter pauses (ErrAuth).
func TestReadFirstKeepsErrorClasses(t *testing.T) {
	t.Parallel()
	modes := syncd.WriteModes{syncd.RecordDeal: {"dealstage": syncd.WriteCreate}}
	_, a := setup(t, crmfake.Options{}, hubspot.Options{Token: "wrong", Modes: modes})
	_, ds := crmtest.Leads(1)
	if r := a.UpsertDeals(context.Background(), ds)[0]; crmtest.Class(r.Err) != syncd.ErrAuth {
		t.Fatalf("got %v, want an auth error", r.Err)
	}
}

// TestSetModesTakesEffect: write modes changed while the adapter runs (the
// mappings reloaded on SIGHUP) apply to the next call: a property made
// create-only no longer overwrites what a salesperson typed.
func TestSetModesTakesEffect(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	ctx := context.Background()
	cs, _ := crmtest.Leads(1)
	cr, _ := crmtest.Deliver(ctx, a, cs, nil, 3)
	if cr[0].Err != nil {
		t.Fatal(cr[0].Err)
	}
	edit := func() {
		t.Helper()
		if err := srv.EditContact(cr[0].ID, crmfake.Edit{Properties: map[string]string{"firstname": "Annie"}}); err != nil {
			t.Fatal(err)
		}
	}
	firstname := func() string { return srv.State().ContactsByEmail[cs[0].Email][0].Properties["firstname"] }
	edit()
	if crmtest.Deliver(ctx, a, cs, nil, 3); firstname() == "Annie" {
		t.Fatal("with every property written always, the resend kept the edit")
	}
	edit()
	a.SetModes(syncd.WriteModes{syncd.RecordContact: {"firstname": syncd.WriteCreate}})
	if crmtest.Deliver(ctx, a, cs, nil, 3); firstname() != "Annie" {
		t.Errorf("after SetModes made firstname create-only, the resend wrote %q over the edit", firstname())
	}
}
