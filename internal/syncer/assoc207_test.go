package syncer_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestAssociation207IsWhatItsCategorySays: HubSpot associated some deals
// of a batch and answered 207 for one. Its error of any category but
// OBJECT_NOT_FOUND was taken for a transient failure: a refusal (a
// VALIDATION_ERROR, an association limit reached, an association type the
// account does not allow) was retried with the class of a CRM failure, to
// the end of its attempts, then dead-lettered with a retry's message. Now a
// refusal dead-letters that deal alone, at once, with the message of a 400's
// refusal (HubSpot wrote the deal, refused the association); HubSpot's own
// failure of one input (INTERNAL_ERROR) is retried, and the deal then
// associated. crmfake's partial fault fails the batch's last input.
func TestAssociation207IsWhatItsCategorySays(t *testing.T) {
	t.Parallel()
	const leads = 4
	for _, tc := range []struct {
		category, message string
		dead              bool
	}{
		{"VALIDATION_ERROR", "The association limit of 1 contact per deal has been reached", true},
		{"INTERNAL_ERROR", "Something went wrong on HubSpot's side", false},
	} {
		t.Run(tc.category, func(t *testing.T) {
			r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, nil)
			r.srv.AddFault(crmfake.Fault{Method: "POST", Path: assocBatch, Action: crmfake.ActPartial, Uses: 1,
				Category: tc.category, Message: tc.message})
			enqueueLeads(t, r.db, hubspot.Name, 0, leads)
			sum, err := r.s.RunOnce(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if !sum.CoolingUntil.IsZero() {
				t.Errorf("the syncer cooled down as for an outage: %+v", sum)
			}
			st := r.srv.State()
			refused := -1 // the lead whose deal HubSpot did not associate
			for i := range leads {
				if ds := st.DealsByLead[leadID(i)]; len(ds) == 1 && len(ds[0].ContactIDs) == 0 {
					refused = i
				}
			}
			if refused < 0 {
				t.Fatalf("no deal left unassociated: the fault did not fire (%+v)", r.srv.Faults())
			}
			deal := opsOfLead(t, r.db, refused)[1]
			dealID := st.DealsByLead[leadID(refused)][0].ID
			switch {
			case tc.dead && (deal.State != syncd.OpDead || deal.Attempts != 1 || !strings.Contains(deal.LastError, tc.message) ||
				!strings.Contains(deal.LastError, "HubSpot wrote the deal (id "+dealID+") but refused to associate it with its contact")):
				t.Fatalf("the refused deal: %s after %d attempt(s), %q; want dead at once, saying HubSpot refused its association",
					deal.State, deal.Attempts, deal.LastError)
			case !tc.dead && (deal.State != syncd.OpPending || !strings.Contains(deal.LastError, tc.message)):
				t.Fatalf("the deal HubSpot failed: %s, %q; want pending, to be tried again", deal.State, deal.LastError)
			}
			for i := range leads {
				if i == refused {
					continue
				}
				for _, op := range opsOfLead(t, r.db, i) {
					if op.State != syncd.OpDone {
						t.Errorf("lead %d's %s: %s, %q; want done", i, op.Kind, op.State, op.LastError)
					}
				}
			}
			if tc.dead {
				return
			}
			r.drain(t, 3)
			if ds := r.srv.State().DealsByLead[leadID(refused)]; len(ds) != 1 || len(ds[0].ContactIDs) != 1 {
				t.Fatalf("lead %d's deal after a retry: %+v; want one, associated", refused, ds)
			}
			if d := opsOfLead(t, r.db, refused)[1]; d.State != syncd.OpDone {
				t.Fatalf("lead %d's deal after a retry: %s, %q", refused, d.State, d.LastError)
			}
		})
	}
}
