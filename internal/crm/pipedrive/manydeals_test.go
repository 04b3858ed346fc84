package pipedrive_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestInDoubtDealOfPersonWithManyDeals: a person (a broker enquiring for
// all his clients) already holds 600 deals, more than a page of the
// person's deal list (500) and of search (100), and the create answer of
// his 601st deal is lost after Pipedrive applied it. Whichever of search
// and lists lags longer, the deal is found again (on a later page of the
// person's deals, by the exact search on its lead id, which the person's
// other deals never match, or in the recent list) and never made twice.
func TestInDoubtDealOfPersonWithManyDeals(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name               string
		searchLag, listLag time.Duration
	}{
		{"no lag", 0, 0},
		{"lists lag longer", 300 * time.Millisecond, 1200 * time.Millisecond},
		{"search lags longer", 1200 * time.Millisecond, 300 * time.Millisecond},
		{"both lag longer than settle", 1200 * time.Millisecond, 900 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, a, _ := setup(t, crmfake.Options{SearchLag: tc.searchLag, ListLag: tc.listLag},
				pipedrive.Options{Settle: 150 * time.Millisecond})
			const held = 600
			email := "broker@example.com"
			person := srv.AddContact(crmfake.Record{Email: email, Properties: map[string]string{"name": "Broker"}})
			for i := range held {
				srv.AddDeal(crmfake.Record{LeadID: fmt.Sprintf("portal:%04d", i), ContactIDs: []string{person},
					Properties: map[string]string{"title": fmt.Sprintf("Client %d", i)}})
			}
			cs := []syncd.Contact{{Key: email, Email: email, Properties: map[string]string{"name": "Broker"}}}
			ds := []syncd.Deal{{LeadID: fmt.Sprintf("portal:%04d", held), ContactKey: email,
				Properties: map[string]string{"title": fmt.Sprintf("Client %d", held)}}}
			srv.AddFault(crmfake.Fault{Method: "POST", Path: "/api/v2/deals", Action: crmfake.ActApplyThenDrop, Uses: 1})
			cr, dr := deliverUntil(t, a, cs, ds, 15*time.Second)
			if crmtest.Fired(srv) != 1 {
				t.Fatalf("the create's answer was not dropped (%d faults fired)", crmtest.Fired(srv))
			}
			if cr[0].Err != nil || cr[0].ID != person {
				t.Fatalf("person: id %q err %v; want %s", cr[0].ID, cr[0].Err, person)
			}
			if dr[0].Err != nil || dr[0].ID == "" {
				t.Fatalf("deal: id %q err %v", dr[0].ID, dr[0].Err)
			}
			st := srv.State()
			if d := st.Duplicates(); len(d) > 0 {
				t.Fatalf("duplicates: %v", d)
			}
			if got := len(st.Deals); got != held+1 {
				t.Fatalf("%d deals in Pipedrive; want %d", got, held+1)
			}
			if got := st.DealsByLead[ds[0].LeadID]; len(got) != 1 || got[0].ID != dr[0].ID {
				t.Fatalf("deals of %s: %v; want the one answered, %s", ds[0].LeadID, got, dr[0].ID)
			}
		})
	}
}
