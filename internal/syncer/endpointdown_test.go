package syncer_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
)

// TestBatchUpsertDownIsNoStuckBatch: only HubSpot's contacts batch-upsert
// endpoint answers 503 for half an hour; its objects reads and the account
// check, the probe, pass. The batch of 100 was set aside as one the CRM
// never takes and halved down to single calls, each "isolated": Stuck was
// told good leads, which status would have said to give up. A level of the
// halving whose every call (three or more) fails alike is the endpoint
// down, not a record it refuses: an outage (a cool-down), no operation
// isolated or told stuck, and all go once it is back.
func TestBatchUpsertDownIsNoStuckBatch(t *testing.T) {
	t.Parallel()
	var probes int
	var told [][]int64
	r := probedRig(t, &probes, &told)
	enqueueLeads(t, r.db, hubspot.Name, 0, 100)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, Action: crmfake.ActError, Status: 503})
	ctx := context.Background()
	outage := false
	for minute := 0; minute < 30; minute++ {
		sum, err := r.s.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(sum.Isolated) > 0 {
			t.Fatalf("minute %d: operation(s) %v isolated while the batch endpoint was down; want none", minute, sum.Isolated)
		}
		outage = outage || sum.Outage != ""
		r.clk.Advance(time.Minute)
	}
	for _, ops := range told {
		if len(ops) > 0 {
			t.Fatalf("Stuck told %d operations while the batch endpoint was down; want none", len(ops))
		}
	}
	if !outage {
		t.Errorf("no run told an outage in half an hour of the batch endpoint down")
	}
	r.srv.ClearFaults()
	r.clk.Advance(11 * time.Minute) // past the longest cool-down
	if sum, err := r.s.RunOnce(ctx); err != nil || sum.Done != 200 {
		t.Errorf("run once the endpoint is back = %+v, %v; want all 100 leads sent", sum, err)
	}
}
