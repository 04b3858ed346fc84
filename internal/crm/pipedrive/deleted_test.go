package pipedrive_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
)

// TestDealDeletedInPipedriveIsLeftAlone: a salesperson deletes a lead's
// deal in Pipedrive (a soft delete, after which Pipedrive refuses edits);
// the lead's next update is not written, and neither dead-lettered (a 400)
// nor pausing the adapter (were the refusal a 403), nor making the deal
// again.
func TestDealDeletedInPipedriveIsLeftAlone(t *testing.T) {
	t.Parallel()
	for _, refusal := range []int{0, http.StatusForbidden} {
		srv, a, _ := setup(t, crmfake.Options{SoftDeleteDeals: true}, pipedrive.Options{})
		cs, ds := crmtest.Leads(1)
		_, dr := deliver(t, a, cs, ds)
		if dr[0].Err != nil {
			t.Fatal(dr[0].Err)
		}
		req, _ := http.NewRequest(http.MethodDelete, srv.BaseURL()+"/deals/"+dr[0].ID, nil)
		req.Header.Set("x-api-token", token)
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
			t.Fatalf("delete: %v %v", resp, err)
		}
		if refusal != 0 {
			srv.AddFault(crmfake.Fault{Method: "PATCH", Path: "/api/v2/deals/*", Action: crmfake.ActError, Status: refusal})
		}
		ds[0].Properties["dealname"] = "changed"
		_, again := crmtest.Deliver(context.Background(), a, cs, ds, 1)
		st := srv.State()
		if again[0].Err != nil || again[0].ID != dr[0].ID || len(st.Deals) != 1 || st.Deals[0].Properties["status"] != "deleted" {
			t.Fatalf("refusal %d: %v %q, deals %+v", refusal, again[0].Err, again[0].ID, st.Deals)
		}
	}
}
