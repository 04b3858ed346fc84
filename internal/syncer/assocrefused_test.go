package syncer_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestAssociationRefusedIsTheDealsOwn: HubSpot wrote a lead's deal but
// refused (400) to associate it with its contact. Alone in its call, the
// deal was taken for a CRM outage (the association's error made transient):
// the syncer cooled down, holding every lead back, status said every CRM
// call failing, and the deal went dead only once its attempts were spent.
// In a batch, the batch association's 400 dead-lettered every deal of the
// call, those HubSpot would have associated too. Now the batch's refusal is
// tried deal by deal, and a refused association dead-letters that deal
// alone, at once, saying HubSpot wrote it and refused the association; a
// 403 to the association pauses the adapter naming the scope, as any other
// call's.
func TestAssociationRefusedIsTheDealsOwn(t *testing.T) {
	t.Parallel()
	const refused = `{"status":"error","message":"Association refused for the test","category":"VALIDATION_ERROR","correlationId":"c-1"}`
	const scope = `{"status":"error","message":"This app hasn't been granted all required scopes to make this call.","category":"MISSING_SCOPES",` +
		`"errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["crm.objects.contacts.write"]}}]}`
	for _, tc := range []struct {
		name   string
		leads  int // leads 0..leads-1; lead 1's contact is refused its associations
		status int
		body   string
	}{
		{"alone", 2, 400, refused}, // lead 0 goes first, on its own, then lead 1 alone
		{"in a batch", 4, 400, refused},
		{"scope missing", 2, 403, scope},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, nil)
			cid := r.srv.AddContact(crmfake.Record{Properties: map[string]string{"email": email(1)}})
			r.srv.AddFault(crmfake.Fault{Method: "PUT", Path: "/crm/v4/objects/deal/*/associations/default/contact/" + cid,
				Action: crmfake.ActError, Status: tc.status, Body: tc.body})
			r.srv.AddFault(crmfake.Fault{Method: "POST", Path: assocBatch, BodyContains: `"to":{"id":"` + cid + `"}`,
				Action: crmfake.ActError, Status: tc.status, Body: tc.body})
			if tc.name != "in a batch" {
				enqueueLeads(t, r.db, hubspot.Name, 0, 1)
				if sum, err := r.s.RunOnce(context.Background()); err != nil || sum.Done != 2 {
					t.Fatalf("lead 0 = %+v, %v", sum, err)
				}
				enqueueLeads(t, r.db, hubspot.Name, 1, tc.leads)
			} else {
				enqueueLeads(t, r.db, hubspot.Name, 0, tc.leads)
			}
			sum, err := r.s.RunOnce(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if !sum.CoolingUntil.IsZero() {
				t.Errorf("the syncer cooled down as for an outage: %+v", sum)
			}
			ops := opsOfLead(t, r.db, 1)
			deal := ops[1]
			if tc.status == 403 {
				if sum.PausedUntil.IsZero() || !strings.Contains(sum.PauseReason, "crm.objects.contacts.write") || deal.State != syncd.OpPending {
					t.Fatalf("a 403 to the association: summary %+v, deal %s %q; want a pause naming the scope, the deal pending",
						sum, deal.State, deal.LastError)
				}
				return
			}
			if deal.State != syncd.OpDead || !strings.Contains(deal.LastError, "Association refused for the test") ||
				!strings.Contains(deal.LastError, "refused to associate") {
				t.Fatalf("lead 1's deal: %s after %d attempt(s), %q; want dead at once, saying HubSpot refused its association",
					deal.State, deal.Attempts, deal.LastError)
			}
			st := r.srv.State()
			if got := st.DealsByLead[leadID(1)]; len(got) != 1 || !strings.Contains(deal.LastError, got[0].ID) {
				t.Fatalf("lead 1's deal in HubSpot %+v; its dead letter %q should name it", got, deal.LastError)
			}
			for i := 0; i < tc.leads; i++ {
				if i == 1 {
					continue
				}
				for _, op := range opsOfLead(t, r.db, i) {
					if op.State != syncd.OpDone {
						t.Errorf("lead %d's %s: %s, %q; want done", i, op.Kind, op.State, op.LastError)
					}
				}
				if ds := st.DealsByLead[leadID(i)]; len(ds) != 1 || len(ds[0].ContactIDs) != 1 {
					t.Errorf("lead %d's deal in HubSpot %+v, want one, associated", i, ds)
				}
			}
		})
	}
}
