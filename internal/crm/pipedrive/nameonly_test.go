package pipedrive_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestNameOnlyContactIsNeverMatchedByName: two enquiries from "Anna
// Jensen", with no email and no phone, and a person of that name already
// in Pipedrive (another client's). A name is no identity: the adapter
// never searches persons by name, nor writes an enquiry onto a person it
// found so. The mappings make such a lead unmappable before it reaches an
// adapter (`contact has no email and no phone`); a contact that comes
// without either all the same is refused (NO_IDENTITY, a dead letter), no
// person searched, made or changed.
func TestNameOnlyContactIsNeverMatchedByName(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	cs := []syncd.Contact{
		{Key: "anna-1", Properties: map[string]string{"name": "Anna Jensen", "firstname": "Is the flat on Nørregade still for sale?"}},
		{Key: "anna-2", Properties: map[string]string{"name": "Anna Jensen", "firstname": "Can I view the house in Aarhus?"}},
	}
	stranger := a.UpsertContacts(context.Background(), []syncd.Contact{{Key: "anna@example.com", Email: "anna@example.com",
		Properties: map[string]string{"name": "Anna Jensen", "email": "anna@example.com"}}})
	if stranger[0].Err != nil {
		t.Fatal(stranger[0].Err)
	}
	before, was := len(srv.Requests()), srv.State().Contacts
	res := a.UpsertContacts(context.Background(), cs)
	for i, r := range res {
		var ce *syncd.CRMError
		if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrPermanent || ce.Code != "NO_IDENTITY" || r.ID != "" {
			t.Errorf("contact %d without email or phone: %+v; want refused, NO_IDENTITY", i, r)
		}
	}
	for _, r := range srv.Requests()[before:] {
		if r.Method != "GET" || strings.Contains(r.Path, "/persons") {
			t.Errorf("a name-only contact made the request %s %s?%s", r.Method, r.Path, r.Query)
		}
	}
	if now := srv.State().Contacts; !reflect.DeepEqual(now, was) {
		t.Fatalf("persons after the name-only contacts: %+v; want the stranger alone, unchanged: %+v", now, was)
	}
}
