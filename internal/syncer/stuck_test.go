package syncer_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
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
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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

// TestStuckBatchIsHalvedInOnePass: a batch of 100 contacts, one of which
// the CRM never takes (a 504 to every call holding it), while its account
// check passes. Before, the batch set aside was sent in two halves at each
// try, and only the failing half split again at the next, 30 s doubling to
// 10 minutes later: seven tries, about 70 minutes, before the 99 others
// went. The try after the first failure halves it again and again in the
// same pass (both halves of each split sent), within a bounded number of
// calls: the 99 go, the one is set aside and told stuck.
func TestStuckBatchIsHalvedInOnePass(t *testing.T) {
	t.Parallel()
	var told [][]int64
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.BatchSize = 100
		o.Probe = func(context.Context) error { return nil }
		o.Stuck = func(ops []int64, _ time.Time, _ string) { told = append(told, ops) }
	})
	enqueueLeads(t, r.db, hubspot.Name, 0, 100)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, BodyContains: email(37), Action: crmfake.ActError, Status: 504})
	ctx := context.Background()
	sum, err := r.s.RunOnce(ctx)
	if err != nil || len(sum.Aside) != 100 {
		t.Fatalf("first run = %+v, %v; want the batch of 100 set aside", sum, err)
	}
	r.clk.Advance(2 * time.Minute) // past its back-off (RetryMax 1m)
	before := r.srv.CountRequests("POST", contactsUpsert, 0)
	if sum, err = r.s.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	calls := r.srv.CountRequests("POST", contactsUpsert, 0) - before
	if st := r.srv.State(); len(st.Contacts) != 99 || len(st.Deals) != 99 {
		t.Fatalf("after the second try the CRM holds %d contacts and %d deals; want 99 each (%d upsert calls)", len(st.Contacts), len(st.Deals), calls)
	}
	bad := opsOfLead(t, r.db, 37)[0].ID
	if len(told) != 1 || !slices.Equal(told[0], []int64{bad}) {
		t.Errorf("Stuck told %v; want [%d] once", told, bad)
	}
	if sum.Calls > 2*7+2+1 { // the halves of 100, then of each failing half down to one; and the deals'
		t.Errorf("%d CRM calls (%d contact upsert requests) to isolate one lead of 100; want at most 17", sum.Calls, calls)
	}
}

// TestRateLimitWhileHalvingCoolsDown: while a batch set aside is sent in
// halves, one half draws a 429 (the account's limit) as the other draws
// its 504 and the leads claimed with them go. Before, the run went on as
// if the CRM took everything: the rate-limited half, due again at once,
// was claimed and sent again into the limit in the same run. Halving
// stops, and the run cools down for the Retry-After as for any 429.
func TestRateLimitWhileHalvingCoolsDown(t *testing.T) {
	t.Parallel()
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.BatchSize = 100
		o.Probe = func(context.Context) error { return nil }
	})
	enqueueLeads(t, r.db, hubspot.Name, 0, 60)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, BodyContains: email(37), Action: crmfake.ActError, Status: 504})
	ctx := context.Background()
	if sum, err := r.s.RunOnce(ctx); err != nil || len(sum.Aside) != 60 {
		t.Fatalf("first run = %+v, %v; want the batch of 60 set aside", sum, err)
	}
	enqueueLeads(t, r.db, hubspot.Name, 60, 100) // claimed with them: the rest goes in a call of its own
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, BodyContains: email(10), Action: crmfake.ActRateLimit, RetryAfter: "600"})
	r.clk.Advance(2 * time.Minute)
	sum, err := r.s.RunOnce(ctx)
	if err != nil || sum.CoolingUntil.Sub(r.clk.Now()) < 10*time.Minute {
		t.Fatalf("second run = %+v, %v; want a cool-down for the 429's Retry-After", sum, err)
	}
	if n := r.srv.CountRequests("POST", contactsUpsert, 429); n != 1 {
		t.Errorf("the half drawing a 429 was sent %d times; want once", n)
	}
	if st := r.srv.State(); len(st.Contacts) != 40 {
		t.Errorf("the CRM holds %d contacts; want the 40 claimed with the batch set aside", len(st.Contacts))
	}
}

// TestHalvingStopsBeforeTheLeasesEnd: halving sends the operations again
// and again under the lease of their claim; a call begun when less than
// CallTimeout of it was left could still be under way when another run or
// instance claims them. With the syncer's clock three minutes past the
// store's (of a five-minute lease, calls of up to half of it), no half is
// halved again: the set-aside batch goes in its two halves, as before.
func TestHalvingStopsBeforeTheLeasesEnd(t *testing.T) {
	t.Parallel()
	var ahead time.Duration
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.BatchSize, o.Lease = 100, 5*time.Minute
		o.Probe = func(context.Context) error { return nil }
		now := o.Now
		o.Now = func() time.Time { return now().Add(ahead) }
	})
	enqueueLeads(t, r.db, hubspot.Name, 0, 100)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, BodyContains: email(37), Action: crmfake.ActError, Status: 504})
	ctx := context.Background()
	if sum, err := r.s.RunOnce(ctx); err != nil || len(sum.Aside) != 100 {
		t.Fatalf("first run = %+v, %v; want the batch of 100 set aside", sum, err)
	}
	r.clk.Advance(2 * time.Minute)
	ahead = 3 * time.Minute
	sum, err := r.s.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st := r.srv.State(); len(st.Contacts) != 50 || sum.Calls != 3 || len(sum.Aside) != 50 {
		t.Errorf("second run = %+v with %d contacts in the CRM; want the two halves sent, 50 set aside, 50 gone with their deals", sum, len(st.Contacts))
	}
}

// TestStuckBatchHalvesGoOutOnce: the halves of a batch set aside went
// through the HTTP client's retries like any batch: each half that drew
// its 504 was sent four times (the client's retries), so finding the one
// lead of 100 the CRM never takes cost some 30 requests into a CRM that
// had just failed them. With Options.Once (the daemon gives crm.SendOnce)
// each half goes out once: one request per failing call.
func TestStuckBatchHalvesGoOutOnce(t *testing.T) {
	t.Parallel()
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.BatchSize = 100
		o.Probe = func(context.Context) error { return nil }
		o.Once = crm.SendOnce
	})
	enqueueLeads(t, r.db, hubspot.Name, 0, 100)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, BodyContains: email(37), Action: crmfake.ActError, Status: 504})
	ctx := context.Background()
	if sum, err := r.s.RunOnce(ctx); err != nil || len(sum.Aside) != 100 {
		t.Fatalf("first run = %+v, %v; want the batch of 100 set aside", sum, err)
	}
	r.clk.Advance(2 * time.Minute)
	failed := r.srv.CountRequests("POST", contactsUpsert, 504)
	if _, err := r.s.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	failed = r.srv.CountRequests("POST", contactsUpsert, 504) - failed
	if st := r.srv.State(); len(st.Contacts) != 99 {
		t.Fatalf("the CRM holds %d contacts after the halving; want 99", len(st.Contacts))
	}
	// 100 halved down to one: at most a failing half at each of 7 levels.
	if failed == 0 || failed > 7 {
		t.Errorf("%d requests drew a 504 while halving 100 down to the one; want at most 7, one per failing half", failed)
	}
}
