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

// TestPhoneAddedOnceHoweverASalespersonWroteIt: a salesperson keeps a
// person's phones as people write them ("+45 22 22 22 22"); a new lead
// brings the same number as syncd writes phones (+4522222222). With
// write: add the number was added again, so the person showed it twice,
// and once more for each way it had been written. A phone already in the
// list, written with spaces, dashes, dots or brackets, is not added; a
// new number still is, and emails are compared as they are.
func TestPhoneAddedOnceHoweverASalespersonWroteIt(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{Modes: shippedModes})
	ctx := context.Background()
	c := syncd.Contact{Key: "ann@example.com", Email: "ann@example.com", Phone: "+4511111111",
		Properties: map[string]string{"name": "Ann", "email": "ann@example.com", "phone": "+4511111111"}}
	cr, _ := crmtest.Deliver(ctx, a, []syncd.Contact{c}, nil, 3)
	if cr[0].Err != nil {
		t.Fatal(cr[0].Err)
	}
	edited := []string{"+45 11 11 11 11", "+45 (22) 22-22.22"}
	if err := srv.EditContact(cr[0].ID, crmfake.Edit{Emails: []string{"ann@example.com"}, Phones: edited}); err != nil {
		t.Fatal(err)
	}
	for _, phone := range []string{"+4522222222", "+4511111111"} {
		again := c
		again.Phone = phone
		again.Properties = map[string]string{"email": c.Email, "phone": phone}
		if r, _ := crmtest.Deliver(ctx, a, []syncd.Contact{again}, nil, 3); r[0].Err != nil {
			t.Fatal(r[0].Err)
		}
	}
	if p := srv.State().Contacts[0]; !slices.Equal(p.Phones, edited) {
		t.Fatalf("phones %q, want the salesperson's %q", p.Phones, edited)
	}
	third := c
	third.Phone = "+4533333333"
	third.Properties = map[string]string{"email": c.Email, "phone": third.Phone}
	if r, _ := crmtest.Deliver(ctx, a, []syncd.Contact{third}, nil, 3); r[0].Err != nil {
		t.Fatal(r[0].Err)
	}
	if p := srv.State().Contacts[0]; !slices.Equal(p.Phones, append(edited, "+4533333333")) {
		t.Fatalf("phones %q: a new number is added", p.Phones)
	}
}
