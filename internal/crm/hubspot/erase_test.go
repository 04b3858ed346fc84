package hubspot_test

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
)

// TestEraseHoldersByEmailWhateverTheID: the contact syncd linked was
// deleted and the person made again by hand: the GDPR delete by email
// reaches the new one; a phone cannot be looked up in HubSpot and is said so.
func TestEraseHoldersByEmailWhateverTheID(t *testing.T) {
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	old := srv.AddContact(crmfake.Record{Properties: map[string]string{"email": "jane@x.dk"}})
	if err := srv.DeleteContact(old); err != nil {
		t.Fatal(err)
	}
	srv.AddContact(crmfake.Record{Properties: map[string]string{"email": "Jane@X.dk", "phone": "+4520123456"}})
	bob := srv.AddContact(crmfake.Record{Properties: map[string]string{"email": "bob@x.dk"}})
	ctx := context.Background()
	if err := a.Erase(ctx, old, nil); err != nil {
		t.Fatalf("erase by the linked id: %v", err)
	}
	if st := srv.State(); len(st.Contacts) != 2 {
		t.Fatalf("the linked id alone erased %d contacts; the case needs it to miss", 2-len(st.Contacts))
	}
	if ok, err := a.EraseHolders(ctx, "+4520123456"); ok || err != nil {
		t.Fatalf("EraseHolders(phone): %v, %v; want not looked up", ok, err)
	}
	if ok, err := a.EraseHolders(ctx, "jane@x.dk"); !ok || err != nil {
		t.Fatalf("EraseHolders(email): %v, %v", ok, err)
	}
	if st := srv.State(); len(st.Contacts) != 1 || st.Contacts[0].ID != bob {
		t.Fatalf("contacts left: %+v; want only %s", st.Contacts, bob)
	}
	if ok, err := a.EraseHolders(ctx, "nobody@x.dk"); !ok || err != nil { // HubSpot blocklists it: 204
		t.Fatalf("EraseHolders(an email no one holds): %v, %v", ok, err)
	}
}
