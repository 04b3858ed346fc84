package pipedrive_test

import (
	"context"
	"slices"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// shippedModes are the write modes of the shipped Pipedrive mappings.
var shippedModes = syncd.WriteModes{
	syncd.RecordContact: {"name": syncd.WriteCreate, "email": syncd.WriteAdd, "phone": syncd.WriteAdd},
	syncd.RecordDeal:    {"title": syncd.WriteCreate, "stage_id": syncd.WriteCreate},
}

// TestSalespeoplesEditsSurvive: a salesperson renames a person, gives it a
// second email and phone, and moves its deal on; a second lead from the
// same person, and the first lead sent again (as replay does), keep all of
// it and only add the new phone.
func TestSalespeoplesEditsSurvive(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{Modes: shippedModes})
	ctx := context.Background()
	c := syncd.Contact{Key: "ann@example.com", Email: "ann@example.com", Phone: "+4511111111",
		Properties: map[string]string{"name": "Ann From Portal", "email": "ann@example.com", "phone": "+4511111111"}}
	d := syncd.Deal{LeadID: "L-1", ContactKey: c.Key, Properties: map[string]string{"title": "Enquiry 1", "stage_id": "1"}}
	cr, dr := crmtest.Deliver(ctx, a, []syncd.Contact{c}, []syncd.Deal{d}, 3)
	crmtest.CheckClean(t, srv, 1, cr, dr)

	if err := srv.EditContact(cr[0].ID, crmfake.Edit{Properties: map[string]string{"name": "Ann Lee-Smith"},
		Emails: []string{"ann@example.com", "ann@work.example"}, Phones: []string{"+4511111111", "+4522222222"}}); err != nil {
		t.Fatal(err)
	}
	if err := srv.EditDeal(dr[0].ID, crmfake.Edit{Properties: map[string]string{"stage_id": "3", "title": "Ann: big office"}}); err != nil {
		t.Fatal(err)
	}

	second := c
	second.Phone = "+4533333333"
	second.Properties = map[string]string{"name": "ann", "email": "ann@example.com", "phone": "+4533333333"}
	d2 := syncd.Deal{LeadID: "L-2", ContactKey: c.Key, Properties: map[string]string{"title": "Enquiry 2", "stage_id": "1"}}
	for _, round := range [][]syncd.Deal{{d2}, {d, d2}} { // a second lead, then both again (replay)
		contacts := []syncd.Contact{second, c}[:len(round)]
		if _, dr2 := crmtest.Deliver(ctx, a, contacts, round, 3); dr2[0].Err != nil {
			t.Fatalf("deliver: %v", dr2[0].Err)
		}
	}

	st := srv.State()
	if len(st.Contacts) != 1 || len(st.Deals) != 2 {
		t.Fatalf("%d persons, %d deals", len(st.Contacts), len(st.Deals))
	}
	p := st.Contacts[0]
	if p.Properties["name"] != "Ann Lee-Smith" {
		t.Errorf("name %q: the salesperson's edit was overwritten", p.Properties["name"])
	}
	if !slices.Equal(p.Emails, []string{"ann@example.com", "ann@work.example"}) {
		t.Errorf("emails %v", p.Emails)
	}
	if !slices.Equal(p.Phones, []string{"+4511111111", "+4522222222", "+4533333333"}) {
		t.Errorf("phones %v: want the edited list plus the new phone", p.Phones)
	}
	first := st.DealsByLead["L-1"][0]
	if first.Properties["stage_id"] != "3" || first.Properties["title"] != "Ann: big office" {
		t.Errorf("deal moved back: stage %s, title %q", first.Properties["stage_id"], first.Properties["title"])
	}
	if got := st.DealsByLead["L-2"][0].Properties["stage_id"]; got != "1" {
		t.Errorf("new deal stage %s, want 1", got)
	}
}
