package pipedrive_test

import (
	"context"
	"slices"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
)

// TestEraseHoldersReachesEveryPersonWithTheKey: the person syncd linked may
// be gone and the person added again by hand (Pipedrive keeps no email
// unique, so more than once): EraseHolders erases every person holding the
// email, or the phone, now, with their deals, and no one else.
func TestEraseHoldersReachesEveryPersonWithTheKey(t *testing.T) {
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	add := func(name string, e crmfake.Edit) string { // by hand, as a salesperson would
		id := srv.AddContact(crmfake.Record{Properties: map[string]string{"name": name}})
		if err := srv.EditContact(id, e); err != nil {
			t.Fatal(err)
		}
		return id
	}
	jane1 := add("Jane", crmfake.Edit{Emails: []string{"jane@x.dk"}})
	jane2 := add("J. Doe", crmfake.Edit{Emails: []string{"work@x.dk", "jane@x.dk"}})
	byPhone := add("Jane", crmfake.Edit{Phones: []string{"+4520123456"}})
	bob := add("Bob", crmfake.Edit{Emails: []string{"bob@x.dk"}, Phones: []string{"+4531987654"}})
	for _, p := range []string{jane1, jane2, byPhone, bob} {
		srv.AddDeal(crmfake.Record{Properties: map[string]string{"title": "deal of " + p}, ContactIDs: []string{p}})
	}
	ctx := context.Background()
	for _, key := range []string{"jane@x.dk", "+4520123456"} {
		if ok, err := a.EraseHolders(ctx, key); !ok || err != nil {
			t.Fatalf("EraseHolders(%s): %v, %v", key, ok, err)
		}
	}
	st := srv.State()
	if len(st.Contacts) != 1 || st.Contacts[0].ID != bob {
		t.Fatalf("persons left: %+v; want only %s", st.Contacts, bob)
	}
	if len(st.Deals) != 1 || !slices.Equal(st.Deals[0].ContactIDs, []string{bob}) {
		t.Fatalf("deals left: %+v; want only the other person's", st.Deals)
	}
	if ok, err := a.EraseHolders(ctx, "jane@x.dk"); !ok || err != nil {
		t.Fatalf("EraseHolders again: %v, %v; want nothing to do", ok, err)
	}
}
