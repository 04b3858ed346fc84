package hubspot_test

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPhoneOnlyContactWithoutNameIsCreated: a lead that left only a phone
// number (no email, no name) maps to a contact keyed by its phone, but
// HubSpot creates a contact only with an email, a first or a last name
// (400 otherwise): the lead was dead-lettered, its deal with it. The
// contact is now created with its phone as last name, as the Pipedrive
// adapter names such a person; an update never writes that name over one
// a salesperson gave.
func TestPhoneOnlyContactWithoutNameIsCreated(t *testing.T) {
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	c := syncd.Contact{Key: "+4520123456", Phone: "+4520123456", Properties: map[string]string{"phone": "+4520123456", "message": "ring"}}
	r := a.UpsertContacts(context.Background(), []syncd.Contact{c})[0]
	if r.Err != nil || r.ID == "" {
		t.Fatalf("phone-only contact without a name: %+v", r)
	}
	st := srv.State()
	if len(st.Contacts) != 1 || st.Contacts[0].Properties["lastname"] != "+4520123456" {
		t.Fatalf("contacts %+v", st.Contacts)
	}
	if err := srv.EditContact(st.Contacts[0].ID, crmfake.Edit{Properties: map[string]string{"lastname": "Hansen"}}); err != nil {
		t.Fatal(err)
	}
	if r := a.UpsertContacts(context.Background(), []syncd.Contact{c})[0]; r.Err != nil || r.ID != st.Contacts[0].ID {
		t.Fatalf("again: %+v", r)
	}
	if got := srv.State().Contacts[0].Properties["lastname"]; got != "Hansen" {
		t.Fatalf("lastname after an update: %q", got)
	}
}
