package syncer_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestHalvingStoppedEarlyTellsNoInnocentOperationStuck: a batch of 100
// contacts holds one (or two) the CRM never takes, a 504 to every call
// holding them, while its account check passes. When the halving of its
// second try stopped early (the leases would not outlast another call,
// the calls of the pass were spent, a 429 on the other half), the half
// still failing was set aside and, its second such failure, told stuck
// as a whole: syncd status said ONE BATCH STUCK and gave the outbox
// give-up of up to 50 operations the CRM would take, beside the one it
// never does. Such a half is not yet isolated: it is halved further at
// its next try, and only the operations whose own call fails alone are
// told stuck; the others go.
func TestHalvingStoppedEarlyTellsNoInnocentOperationStuck(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		leads int   // enqueued before the first run
		more  int   // enqueued after it: claimed with the batch set aside
		bad   []int // the leads the CRM never takes
		slow  bool  // each call takes a minute: the leases do not last the halving of a pass
		limit int   // the lead whose half draws one 429 at the second try (-1: none)
	}{
		{name: "the leases running out", leads: 100, bad: []int{37}, slow: true, limit: -1},
		{name: "the calls of a pass spent", leads: 100, bad: []int{10, 37, 62, 90}, limit: -1},
		{name: "a 429 on the other half", leads: 60, more: 40, bad: []int{37}, limit: 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var told [][]int64
			var clk *clock // each call a minute on it, when slow
			r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
				o.BatchSize, o.Lease = 100, 5*time.Minute
				o.RetryBase, o.RetryMax = 30*time.Second, time.Hour // the defaults: set aside for minutes
				o.Probe = func(context.Context) error { return nil }
				o.Stuck = func(ops []int64, _ time.Time, _ string) { told = append(told, ops) }
				if tc.slow {
					o.CRM = slowCRM{o.CRM, &clk}
				}
			})
			clk = r.clk
			enqueueLeads(t, r.db, hubspot.Name, 0, tc.leads)
			for _, i := range tc.bad {
				r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, BodyContains: email(i), Action: crmfake.ActError, Status: 504})
			}
			ctx := context.Background()
			if sum, err := r.s.RunOnce(ctx); err != nil || len(sum.Aside) != tc.leads {
				t.Fatalf("first run = %+v, %v; want the batch of %d set aside", sum, err, tc.leads)
			}
			if tc.more > 0 {
				enqueueLeads(t, r.db, hubspot.Name, tc.leads, tc.leads+tc.more)
			}
			if tc.limit >= 0 {
				r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, BodyContains: email(tc.limit),
					Action: crmfake.ActRateLimit, RetryAfter: "60", Uses: 1})
			}
			var bad []int64
			for _, i := range tc.bad {
				bad = append(bad, opsOfLead(t, r.db, i)[0].ID)
			}
			for minute := 0; minute < 120; minute++ {
				r.clk.Advance(time.Minute)
				if _, err := r.s.RunOnce(ctx); err != nil {
					t.Fatal(err)
				}
			}
			for _, ops := range told {
				for _, id := range ops {
					if !slices.Contains(bad, id) {
						t.Fatalf("Stuck told %v: operation %d is one the CRM takes (want at most %v)", ops, id, bad)
					}
				}
			}
			if len(told) == 0 || !slices.Equal(told[len(told)-1], bad) {
				t.Errorf("Stuck told %v; want at last %v", told, bad)
			}
			if st := r.srv.State(); len(st.Contacts) != tc.leads+tc.more-len(tc.bad) {
				t.Errorf("the CRM holds %d contacts; want all but the %d it never takes (%v)", len(st.Contacts), len(tc.bad), countStates(allOps(t, r.db)))
			}
			for _, i := range tc.bad {
				if op := opsOfLead(t, r.db, i)[0]; op.State != syncd.OpPending || op.Attempts != 0 {
					t.Errorf("lead %d's contact: %s after %d attempts; want pending, none used up", i, op.State, op.Attempts)
				}
			}
		})
	}
}

// slowCRM is a CRM whose every call of contacts takes a minute of *clk.
type slowCRM struct {
	syncd.CRM
	clk **clock
}

func (c slowCRM) UpsertContacts(ctx context.Context, cs []syncd.Contact) []syncd.Result {
	(*c.clk).Advance(time.Minute)
	return c.CRM.UpsertContacts(ctx, cs)
}

// TestHalveAtOnceIsolatesInOneRun: a syncer that runs once (syncd sync,
// ByHand) meets a batch of 40 contacts holding one the CRM never
// takes, a 504 to every call holding it, while its account check passes.
// Without a next try that halves the group set aside, it set the whole
// batch aside at every run. It halves it in the same run: the 39 others
// go, and the one is isolated (Summary.Isolated), no attempt used up.
func TestHalveAtOnceIsolatesInOneRun(t *testing.T) {
	t.Parallel()
	r := byHandRig(t)
	enqueueLeads(t, r.db, hubspot.Name, 0, 40)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, BodyContains: email(17), Action: crmfake.ActError, Status: 504})
	bad := opsOfLead(t, r.db, 17)[0].ID
	sum, err := r.s.RunOnce(context.Background())
	if err != nil || !slices.Equal(sum.Isolated, []int64{bad}) || !slices.Equal(sum.Aside, []int64{bad}) {
		t.Fatalf("run = %+v, %v; want only operation %d set aside, isolated", sum, err, bad)
	}
	if st := r.srv.State(); len(st.Contacts) != 39 || len(st.Deals) != 39 {
		t.Errorf("the CRM holds %d contacts, %d deals; want the 39 others'", len(st.Contacts), len(st.Deals))
	}
	if op := opsOfLead(t, r.db, 17)[0]; op.State != syncd.OpPending || op.Attempts != 0 {
		t.Errorf("its contact: %s after %d attempts; want pending, none used up", op.State, op.Attempts)
	}
}

// byHandRig is a HubSpot rig whose syncer runs once (syncd sync, ByHand)
// in batches of 100, its account check passing: a batch whose call fails
// as a whole is halved in the same run.
func byHandRig(t *testing.T) *rig {
	t.Helper()
	return hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.BatchSize, o.Lease, o.ByHand = 100, 5*time.Minute, true
		o.Probe = func(context.Context) error { return nil }
	})
}
