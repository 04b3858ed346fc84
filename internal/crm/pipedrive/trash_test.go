package pipedrive_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPersonInTheTrashIsMadeAgain: a person syncd made is deleted in
// Pipedrive, which keeps it in its trash and refuses edits of it; the
// same person enquires again. Its update was refused (a 400 after the
// read of its lists, which showed it deleted, with the shipped mappings'
// write: add; the PATCH's own 400 without): a dead letter. Now the person
// is made again, once, with or without write: add.
func TestPersonInTheTrashIsMadeAgain(t *testing.T) {
	t.Parallel()
	for _, modes := range []syncd.WriteModes{nil, shippedModes} {
		srv, a, _ := setup(t, crmfake.Options{SoftDeletePersons: true}, pipedrive.Options{Modes: modes})
		ctx := context.Background()
		cs, _ := crmtest.Leads(1)
		first, _ := crmtest.Deliver(ctx, a, cs, nil, 3)
		if first[0].Err != nil {
			t.Fatal(first[0].Err)
		}
		req, _ := http.NewRequest(http.MethodDelete, srv.BaseURL()+"/persons/"+first[0].ID, nil)
		req.Header.Set("x-api-token", token)
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("delete: %v %v", resp, err)
		}
		cs[0].Properties["name"] = "Lead 0, enquiring again"
		again, _ := crmtest.Deliver(ctx, a, cs, nil, 3)
		st := srv.State()
		if again[0].Err != nil || again[0].ID == first[0].ID || len(st.Contacts) != 1 || st.Contacts[0].ID != again[0].ID {
			t.Fatalf("write: add %v: %v %q, persons %+v", modes != nil, again[0].Err, again[0].ID, st.Contacts)
		}
	}
}
