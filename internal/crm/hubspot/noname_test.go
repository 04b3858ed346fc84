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
	t.Parallel()
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

// TestPhoneOnlyContactWithoutNameIsCreatedByKey: with a contact key
// property, phone-only contacts are batch-upserted by it, and the upsert
// of a new one without an email or a name was refused (400) as a create
// through the objects API is: the batch was halved down to that contact,
// and the lead dead-lettered with its deal. It is now created with its
// phone as last name, as by search-then-create, in a batch beside a named
// one; an update by the key never writes that name over one a salesperson
// gave since.
func TestPhoneOnlyContactWithoutNameIsCreatedByKey(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{ContactKeyProperty: "syncd_contact_key"})
	ctx := context.Background()
	nameless := syncd.Contact{Key: "+4520123456", Phone: "+4520123456", Properties: map[string]string{"phone": "+4520123456", "message": "ring"}}
	named := syncd.Contact{Key: "+4530123456", Phone: "+4530123456", Properties: map[string]string{"phone": "+4530123456", "firstname": "Bo"}}
	rs := a.UpsertContacts(ctx, []syncd.Contact{nameless, named})
	for i, r := range rs {
		if r.Err != nil || r.ID == "" {
			t.Fatalf("contact %d: %+v", i, r)
		}
	}
	byID := func() map[string]crmfake.Record {
		m := map[string]crmfake.Record{}
		for _, c := range srv.State().Contacts {
			m[c.ID] = c
		}
		return m
	}
	got := byID()
	if len(got) != 2 || got[rs[0].ID].Properties["lastname"] != "+4520123456" || got[rs[1].ID].Properties["lastname"] != "" {
		t.Fatalf("contacts %+v", got)
	}
	if err := srv.EditContact(rs[0].ID, crmfake.Edit{Properties: map[string]string{"lastname": "Hansen"}}); err != nil {
		t.Fatal(err)
	}
	if r := a.UpsertContacts(ctx, []syncd.Contact{nameless})[0]; r.Err != nil || r.ID != rs[0].ID {
		t.Fatalf("again: %+v", r)
	}
	if got := byID()[rs[0].ID].Properties["lastname"]; got != "Hansen" {
		t.Fatalf("lastname after an update: %q", got)
	}
}
