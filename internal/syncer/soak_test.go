package syncer_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// soakFaults fail about 20% of calls in the ways a CRM and a network do,
// half of them after the CRM applied the write.
func soakFaults(path string) []crmfake.Fault {
	return []crmfake.Fault{
		{Name: "apply-then-502", Path: path, Action: crmfake.ActApplyThenError, Probability: 0.06},
		{Name: "drop", Path: path, Action: crmfake.ActDrop, Probability: 0.05},
		{Name: "apply-then-drop", Path: path, Action: crmfake.ActApplyThenDrop, Probability: 0.04},
		{Name: "503", Path: path, Action: crmfake.ActError, Status: 503, Probability: 0.03},
		{Name: "429", Path: path, Action: crmfake.ActRateLimit, RetryAfter: "0", Probability: 0.02},
		{Name: "malformed", Path: path, Action: crmfake.ActMalformed, Probability: 0.02},
	}
}

// TestSoakHubSpot delivers a few thousand leads while about 20% of calls
// fail: every lead ends up as exactly one contact and one deal.
func TestSoakHubSpot(t *testing.T) {
	t.Parallel()
	leads := 3000
	if testing.Short() {
		leads = 600
	}
	// Small batches, so that thousands of leads make hundreds of calls for
	// the faults to hit.
	r := hubspotRig(t, crmfake.Options{Seed: 11}, hubspot.Options{}, func(o *syncer.Options) {
		o.MaxAttempts, o.BatchSize = 30, 10
	})
	for _, f := range soakFaults("/crm/**") {
		r.srv.AddFault(f)
	}
	enqueueLeads(t, r.db, hubspot.Name, 0, leads)
	sum := r.drain(t, 200)
	if dead := r.check(t); len(dead) != 0 {
		t.Fatalf("%d dead, first %+v", len(dead), dead[0])
	}
	st := r.srv.State()
	if len(st.Contacts) != leads || len(st.Deals) != leads {
		t.Fatalf("CRM holds %d contacts, %d deals; want %d each", len(st.Contacts), len(st.Deals), leads)
	}
	calls, faulted := len(r.srv.Requests()), 0
	for _, f := range r.srv.Faults() {
		faulted += f.Fired
	}
	share := float64(faulted) / float64(calls)
	t.Logf("%d leads: %d adapter calls, %d HTTP requests, %d faulted (%.0f%%), %d ops retried by the syncer",
		leads, sum.Calls, calls, faulted, 100*share, sum.Retried)
	if share < 0.1 {
		t.Fatalf("only %.0f%% of requests faulted: the soak did not soak", 100*share)
	}
}

// TestOutageThenRecovery: the CRM answers 503 to everything for half an
// hour of cron ticks; the syncer cools down instead of hammering it, nothing
// is dead-lettered, and after recovery every lead is delivered once, in
// order (contact and deal ids rise with the lead's place in the outbox).
func TestOutageThenRecovery(t *testing.T) {
	t.Parallel()
	const leads = 400
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.RetryBase, o.RetryMax, o.MaxAttempts = 30*time.Second, 10*time.Minute, 12
	})
	r.srv.AddFault(crmfake.Fault{Name: "outage", Path: "/crm/**", Action: crmfake.ActError, Status: 503})
	enqueueLeads(t, r.db, hubspot.Name, 0, leads)
	ctx := context.Background()
	calls := 0
	for range 30 { // a tick a minute
		sum, err := r.s.RunOnce(ctx)
		if err != nil || sum.Dead != 0 || sum.Done != 0 {
			t.Fatalf("run during outage = %+v, %v", sum, err)
		}
		calls += sum.Calls
		r.clk.Advance(time.Minute)
	}
	if calls == 0 || calls > 10 {
		t.Fatalf("%d calls in 30 minutes of outage; want a few, backing off", calls)
	}
	if n := countStates(allOps(t, r.db))[syncd.OpPending]; n != 2*leads {
		t.Fatalf("%d pending after the outage, want %d", n, 2*leads)
	}
	r.srv.ClearFaults()
	r.clk.Advance(10 * time.Minute)
	r.drain(t, 5)
	if dead := r.check(t); len(dead) != 0 {
		t.Fatalf("dead: %+v", dead)
	}
	st := r.srv.State()
	if len(st.Contacts) != leads || len(st.Deals) != leads {
		t.Fatalf("CRM holds %d contacts, %d deals", len(st.Contacts), len(st.Deals))
	}
	lastC, lastD := 0, 0
	for i := range leads {
		c, _ := strconv.Atoi(st.ContactsByEmail[email(i)][0].ID)
		d, _ := strconv.Atoi(st.DealsByLead[leadID(i)][0].ID)
		if c <= lastC || d <= lastD {
			t.Fatalf("lead %d delivered out of order: contact %d after %d, deal %d after %d", i, c, lastC, d, lastD)
		}
		lastC, lastD = c, d
	}
}

// TestSoakPipedrive is the soak against Pipedrive, which has no uniqueness
// at all: one request per record, so fewer leads make as many calls.
func TestSoakPipedrive(t *testing.T) {
	t.Parallel()
	leads := 500
	if testing.Short() {
		leads = 100
	}
	r := pipedriveRig(t, crmfake.Options{Seed: 5, SearchLag: 50 * time.Millisecond})
	for _, f := range soakFaults("/api/v2/**") {
		r.srv.AddFault(f)
	}
	enqueueLeadsWith(t, r.db, pipedrive.Name, 0, leads, func(i int, c, d *syncd.Op) {
		c.Properties["name"] = c.Properties["firstname"]
		d.Properties = map[string]string{"title": d.Properties["dealname"]}
	})
	sum := r.drain(t, 200)
	if dead := r.check(t); len(dead) != 0 {
		t.Fatalf("%d dead, first %+v", len(dead), dead[0])
	}
	st := r.srv.State()
	if len(st.Contacts) != leads || len(st.Deals) != leads {
		t.Fatalf("CRM holds %d persons, %d deals; want %d each", len(st.Contacts), len(st.Deals), leads)
	}
	calls, faulted := len(r.srv.Requests()), 0
	for _, f := range r.srv.Faults() {
		faulted += f.Fired
	}
	t.Logf("%d leads: %d adapter calls, %d HTTP requests, %d faulted (%.0f%%), %d ops retried by the syncer",
		leads, sum.Calls, calls, faulted, 100*float64(faulted)/float64(calls), sum.Retried)
	if faulted*10 < calls {
		t.Fatalf("only %d of %d requests faulted", faulted, calls)
	}
}
