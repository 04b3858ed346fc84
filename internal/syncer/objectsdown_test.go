package syncer_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestObjectsAPIDownIsNoStuckBatch: HubSpot's objects API answers 504 to
// everything for half an hour while its account check (token, properties,
// pipelines: other APIs) passes. The probe, that check, said the CRM
// answers other calls, so the batch of 100 was set aside as one the CRM
// never takes, and at its next try halved all the way down to single
// calls (14 calls more), each single then "isolated": Stuck was told all
// 100 operations, and status would have said to give up 100 good leads.
// The probe reads one record of the objects API too: failing, it is an
// outage (a cool-down), one call a try, nothing set aside or told stuck.
func TestObjectsAPIDownIsNoStuckBatch(t *testing.T) {
	t.Parallel()
	var probes int
	var told [][]int64
	r := probedRig(t, &probes, &told)
	enqueueLeads(t, r.db, hubspot.Name, 0, 100)
	r.srv.AddFault(crmfake.Fault{Path: "/crm/v3/objects/**", Action: crmfake.ActError, Status: 504})
	ctx := context.Background()
	calls, tries := 0, 0
	for minute := 0; minute < 30; minute++ {
		sum, err := r.s.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(sum.Aside) > 0 {
			t.Errorf("minute %d: %d operations set aside while the objects API was down; want none (an outage)", minute, len(sum.Aside))
		}
		if sum.Calls > 0 {
			calls, tries = calls+sum.Calls, tries+1
		}
		r.clk.Advance(time.Minute)
	}
	// One call a try, each resent by the client at most 3 times (a 504 to
	// an upsert is safe to resend): before, 457 calls in 23 tries.
	if n := r.srv.CountRequests("POST", contactsUpsert, 0); calls > tries || n > 4*tries {
		t.Errorf("%d tries made %d calls of the batch (%d requests) into the objects API down; want one a try", tries, calls, n)
	}
	for _, ops := range told {
		if len(ops) > 0 {
			t.Fatalf("Stuck told %d operations while the objects API was down; want none", len(ops))
		}
	}
	r.srv.ClearFaults()
	r.clk.Advance(11 * time.Minute) // past the longest cool-down
	if sum, err := r.s.RunOnce(ctx); err != nil || sum.Done != 200 {
		t.Errorf("run once the objects API is back = %+v, %v; want all 100 leads sent", sum, err)
	}
}

// probedRig is a HubSpot rig whose syncer sends batches of 100 with the
// default back-off, runs the daemon's probe (counted in probes) and tells
// told the operations stuck.
func probedRig(t *testing.T, probes *int, told *[][]int64) *rig {
	t.Helper()
	return hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.BatchSize, o.Lease = 100, 5*time.Minute
		o.RetryBase, o.RetryMax = 30*time.Second, time.Hour // the defaults
		o.Stuck = func(ops []int64, _ time.Time, _ string) { *told = append(*told, ops) }
		checkProbe(o, probes)
	})
}
