package syncer_test

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPauseEndsTheHalvingPass: a batch of 40 contacts holds one the CRM
// never takes (a 504 to every call holding it) while its account check
// passes, so the run halves it at once (syncd sync). The half without it
// draws an answer that pauses the adapter: a rejected token (401) or a
// spent daily limit. Before, the rest of the pass went on: the other
// half's halves, and theirs, each one more request into a CRM that had
// said to stop (each may count against a daily limit spent). Once the run
// has paused it sends nothing more, and every operation is back pending,
// held by no lease, no attempt used up.
func TestPauseEndsTheHalvingPass(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		fault  crmfake.Fault
		status int
	}{
		{"a rejected token", crmfake.Fault{Action: crmfake.ActError, Status: 401}, 401},
		{"a spent daily limit", crmfake.Fault{Action: crmfake.ActDailyLimit}, 429},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := byHandRig(t)
			enqueueLeads(t, r.db, hubspot.Name, 0, 40)
			// Rules are tried in order: the pausing answer goes to the
			// first call without lead 17, the batch's second half.
			r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, BodyContains: email(17), Action: crmfake.ActError, Status: 504})
			f := tc.fault
			f.Method, f.Path, f.Uses = "POST", contactsUpsert, 1
			r.srv.AddFault(f)
			sum, err := r.s.RunOnce(context.Background())
			if err != nil || sum.PausedUntil.IsZero() {
				t.Fatalf("run = %+v, %v; want the adapter paused", sum, err)
			}
			reqs := r.srv.Requests()
			paused := -1
			for i, q := range reqs {
				if q.Path == contactsUpsert && q.Status == tc.status {
					paused = i
					break
				}
			}
			if paused < 0 {
				t.Fatalf("no %d in the CRM's request log: %+v", tc.status, reqs)
			}
			if after := reqs[paused+1:]; len(after) > 0 {
				t.Errorf("%d request(s) into the CRM after its %d paused the adapter (first %s %s); want none", len(after), tc.status, after[0].Method, after[0].Path)
			}
			if st := r.srv.State(); len(st.Contacts) != 0 {
				t.Errorf("the CRM holds %d contacts; want none written after the pause", len(st.Contacts))
			}
			if n := countStates(allOps(t, r.db)); n[syncd.OpPending] != 80 {
				t.Errorf("operations %v; want all 80 pending", n)
			}
			depths, err := r.db.OutboxDepths(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range depths {
				if d.Leased > 0 {
					t.Errorf("%d operation(s) still held by a lease after the run; want them released", d.Leased)
				}
			}
			for i := range 40 {
				if op := opsOfLead(t, r.db, i)[0]; op.State == syncd.OpPending && op.Attempts != 0 {
					t.Errorf("lead %d's contact: %d attempt(s) used up; want none", i, op.Attempts)
				}
			}
		})
	}
}
