package syncer_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestNightLongOutageKillsNoLead: the CRM is unreachable for eight hours
// of cron ticks (no answer at all, then 503s, then 429 with a Retry-After
// of an hour) while leads keep arriving, on the default attempts and
// back-off. The outage is not the leads' fault: none is dead-lettered, so
// the morning needs no `syncd outbox retry`, and once the CRM answers
// again every lead reaches it once. Before, the oldest batch used up its
// ten attempts within about three hours and died, then the next.
func TestNightLongOutageKillsNoLead(t *testing.T) {
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.MaxAttempts, o.RetryBase, o.RetryMax = 10, 30*time.Second, time.Hour // the defaults
	})
	phases := []crmfake.Fault{
		{Name: "no answer", Path: "/crm/**", Action: crmfake.ActDrop},
		{Name: "503", Path: "/crm/**", Action: crmfake.ActError, Status: 503},
		{Name: "429 for an hour", Path: "/crm/**", Action: crmfake.ActRateLimit, RetryAfter: "3600"},
	}
	ctx := context.Background()
	leads, calls := 0, 0
	for _, f := range phases {
		r.srv.ClearFaults()
		r.srv.AddFault(f)
		for minute := range 160 { // a tick a minute, a lead every ten
			if minute%10 == 0 {
				enqueueLeads(t, r.db, hubspot.Name, leads, leads+1)
				leads++
			}
			sum, err := r.s.RunOnce(ctx)
			if err != nil || sum.Done != 0 {
				t.Fatalf("%s, minute %d: run = %+v, %v", f.Name, minute, sum, err)
			}
			calls += sum.Calls
			r.clk.Advance(time.Minute)
		}
		if n := countStates(allOps(t, r.db))[syncd.OpDead]; n != 0 {
			t.Fatalf("after the %q part of the outage: %d dead letters, want none", f.Name, n)
		}
	}
	if calls > 40 {
		t.Fatalf("%d calls into eight hours of outage: the syncer hammered the CRM", calls)
	}
	r.srv.ClearFaults()
	r.clk.Advance(time.Hour)
	r.drain(t, 5)
	if dead := r.check(t); len(dead) != 0 {
		t.Fatalf("%d dead after the recovery, first %+v", len(dead), dead[0])
	}
	if st := r.srv.State(); len(st.Contacts) != leads || len(st.Deals) != leads {
		t.Fatalf("CRM holds %d contacts, %d deals; want %d each", len(st.Contacts), len(st.Deals), leads)
	}
}
