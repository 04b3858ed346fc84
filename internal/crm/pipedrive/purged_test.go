package pipedrive_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/logtest"
)

// TestDealPurgedInPipedriveIsLeftAlone: a deal deleted for good in
// Pipedrive (404: purged 30 days after a soft delete, or crmfake's delete)
// was made again at the lead's next update, unlike a deal still in the
// trash (TestDealDeletedInPipedriveIsLeftAlone) and HubSpot's deleted
// deals. It is now left deleted, with a warning naming its id, and stays
// so at later updates.
func TestDealPurgedInPipedriveIsLeftAlone(t *testing.T) {
	t.Parallel()
	var log logtest.Buffer
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{Logger: zerolog.New(&log).Level(zerolog.InfoLevel)})
	cs, ds := crmtest.Leads(1)
	_, dr := deliver(t, a, cs, ds)
	if dr[0].Err != nil {
		t.Fatal(dr[0].Err)
	}
	pdCall(t, srv, http.MethodDelete, "/deals/"+dr[0].ID, "")
	for i := range 2 {
		ds[0].Properties["dealname"] = "changed"
		_, again := crmtest.Deliver(context.Background(), a, cs, ds, 1)
		if n := len(srv.State().Deals); again[0].Err != nil || n != 0 {
			t.Fatalf("update %d: %v, %d deals (want the deleted deal left alone)", i, again[0].Err, n)
		}
	}
	if out := log.String(); !strings.Contains(out, `"deal_id":"`+dr[0].ID+`"`) || strings.Contains(out, cs[0].Email) {
		t.Fatalf("log: %s", out)
	}
}
