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

// TestCloudflareOutageKillsNoLead: HubSpot's API sits behind Cloudflare,
// whose 521 (HubSpot's servers down), 523 (unreachable) and 524 (no answer
// in time) HubSpot's error guide lists with 502, 503 and 504 as answers to
// pause on and retry (docs/crm-contracts.md). Only 502-504 counted as the
// CRM not taking the call: through an evening of 52x every waiting lead
// used up its attempts and was dead-lettered, and status said the calls
// failed with "524 " and no words. They use up no attempt now, and are
// named.
func TestCloudflareOutageKillsNoLead(t *testing.T) {
	t.Parallel()
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.MaxAttempts, o.RetryBase, o.RetryMax = 10, 30*time.Second, time.Hour // the defaults
	})
	ctx := context.Background()
	leads := 0
	for _, tc := range []struct {
		status int
		words  string
	}{{521, "521 Web Server Is Down"}, {523, "523 Origin Is Unreachable"}, {524, "524 A Timeout Occurred"}} {
		r.srv.ClearFaults()
		r.srv.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: tc.status, HTML: true})
		outage := ""
		for minute := range 120 { // a tick a minute, a lead every ten
			if minute%10 == 0 {
				enqueueLeads(t, r.db, hubspot.Name, leads, leads+1)
				leads++
			}
			sum, err := r.s.RunOnce(ctx)
			if err != nil || sum.Done != 0 {
				t.Fatalf("%d, minute %d: run = %+v, %v", tc.status, minute, sum, err)
			}
			if sum.Outage != "" {
				outage = sum.Outage
			}
			r.clk.Advance(time.Minute)
		}
		if n := countStates(allOps(t, r.db))[syncd.OpDead]; n != 0 {
			t.Fatalf("after two hours of %d: %d dead letters, want none", tc.status, n)
		}
		if outage != tc.words {
			t.Errorf("the outage of %d was told as %q, want %q", tc.status, outage, tc.words)
		}
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
