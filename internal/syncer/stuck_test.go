package syncer_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestOneBatchTheCRMNeverTakesHoldsUpNoOtherLead: the stand-in HubSpot
// answers 504 to every batch upsert holding one lead's contact (a request
// it never takes), while its account check passes (Probe nil). Before, the
// syncer cooled down at each such call as in an outage and tried the same
// batch again for ever: the leads claimed with it and behind it never
// went, and nothing but the outage was told. It sets that batch aside,
// sends the leads behind it, splits it when it fails again so that the
// lead claimed with the bad one goes too, tells Stuck the operation the
// CRM never takes (and nothing after one failure: a blip), and uses up
// none of its attempts. With the probe failing too (the CRM down), the
// same failure is an outage: a cool-down, nothing set aside or told.
func TestOneBatchTheCRMNeverTakesHoldsUpNoOtherLead(t *testing.T) {
	probe := errors.New("crm check failed")
	var told [][]int64
	var why string
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.BatchSize, o.MaxAttempts = 2, 3
		o.Probe = func(context.Context) error { return probe }
		o.Stuck = func(ops []int64, _ time.Time, w string) { told, why = append(told, ops), w }
	})
	enqueueLeads(t, r.db, hubspot.Name, 0, 3)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/upsert", BodyContains: email(0),
		Action: crmfake.ActError, Status: 504})
	ctx := context.Background()

	sum, err := r.s.RunOnce(ctx)
	if err != nil || sum.CoolingUntil.IsZero() || sum.Done != 0 || len(told) != 0 {
		t.Fatalf("probe failing: run = %+v, %v, told %v; want an outage's cool-down", sum, err, told)
	}
	r.clk.Advance(time.Hour)

	probe = nil // the CRM answers its account check
	bad := opsOfLead(t, r.db, 0)[0].ID
	for minute := 0; minute < 60 && countStates(allOps(t, r.db))[syncd.OpDone] < 4; minute++ {
		if sum, err = r.s.RunOnce(ctx); err != nil || !sum.CoolingUntil.IsZero() {
			t.Fatalf("minute %d: run = %+v, %v; want no cool-down", minute, sum, err)
		}
		r.clk.Advance(time.Minute)
	}
	if st := r.srv.State(); len(st.Contacts) != 2 || len(st.Deals) != 2 {
		t.Fatalf("CRM holds %d contacts and %d deals; want leads 1 and 2 (%v)", len(st.Contacts), len(st.Deals), countStates(allOps(t, r.db)))
	}
	if len(told) == 0 || !slices.Equal(told[len(told)-1], []int64{bad}) || why != "504 Gateway Timeout" {
		t.Errorf("Stuck told %v (%q); want at last [%d] (504 Gateway Timeout)", told, why, bad)
	}
	if slices.ContainsFunc(told, func(ops []int64) bool { return len(ops) == 0 }) {
		t.Errorf("Stuck told none between: %v", told)
	}
	for _, op := range opsOfLead(t, r.db, 0) {
		if op.State != syncd.OpPending || op.Attempts != 0 {
			t.Errorf("lead 0's %s: %s after %d attempts; want pending, none used up", op.Kind, op.State, op.Attempts)
		}
	}
}

// TestRateLimitedBatchIsNoStuckBatch: a batch answered 429 while the
// account check passes (the limit is the account's, reset by the time the
// check ran) was set aside as one the CRM never takes and, the second
// time, told as stuck: status would have said to give up leads the CRM
// was only rate-limiting. A 429 is never the batch's doing: the syncer
// cools down as for an outage and tells nothing stuck.
func TestRateLimitedBatchIsNoStuckBatch(t *testing.T) {
	var told [][]int64
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.Probe = func(context.Context) error { return nil }
		o.Stuck = func(ops []int64, _ time.Time, _ string) { told = append(told, ops) }
	})
	enqueueLeads(t, r.db, hubspot.Name, 0, 1)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/upsert", Action: crmfake.ActRateLimit})
	for try := range 3 {
		sum, err := r.s.RunOnce(context.Background())
		if err != nil || sum.CoolingUntil.IsZero() {
			t.Fatalf("try %d: run = %+v, %v; want a cool-down", try, sum, err)
		}
		r.clk.Advance(sum.CoolingUntil.Sub(r.clk.Now()) + time.Second)
	}
	if len(told) != 0 {
		t.Errorf("Stuck told %v for a rate-limited batch", told)
	}
}

// TestStuckBatchGivenUpIsToldGoneAtOnce: an operation told stuck and then
// given up by hand (syncd outbox give-up) was still told stuck (the
// systemd line, the metric and its alert) until its next try came, up to
// 10 minutes after the operator had acted. The next run tells it gone.
func TestStuckBatchGivenUpIsToldGoneAtOnce(t *testing.T) {
	var told [][]int64
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.RetryBase, o.RetryMax = 30*time.Second, time.Hour // the defaults: set aside for minutes
		o.Probe = func(context.Context) error { return nil }
		o.Stuck = func(ops []int64, _ time.Time, _ string) { told = append(told, ops) }
	})
	enqueueLeads(t, r.db, hubspot.Name, 0, 1)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/upsert", Action: crmfake.ActError, Status: 504})
	ctx := context.Background()
	contact := opsOfLead(t, r.db, 0)[0].ID
	for minute := 0; minute < 10; minute++ {
		if _, err := r.s.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if len(told) > 0 {
			break
		}
		r.clk.Advance(time.Minute)
	}
	if len(told) != 1 || !slices.Equal(told[0], []int64{contact}) {
		t.Fatalf("told %v; want [%d]", told, contact)
	}
	if _, err := r.db.GiveUpOp(ctx, contact, hubspot.Name, "given up by hand"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.s.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if len(told) != 2 || len(told[1]) != 0 {
		t.Errorf("told %v after the give-up; want none stuck at the next run", told)
	}
}
