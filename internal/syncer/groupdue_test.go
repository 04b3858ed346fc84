package syncer_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestSetAsideGroupComesDueTogether: a batch of 100 contacts holds one the
// CRM never takes (a 504 to every call holding it) while its account
// check passes, and the syncer runs every second (prompt runs under
// steady traffic). The batch is set aside as one group, to be halved at
// its next try. Before, each operation of it took its own random delay,
// so its members came due one or a few at a time, each few claimed and
// sent as a group of its own, the one holding the bad lead failing again:
// the halving's grouping undone: 40 requests where halving the group
// once takes 18. The group comes due as one: its first try and the
// halving of its second, one call and at most two per halving.
func TestSetAsideGroupComesDueTogether(t *testing.T) {
	t.Parallel()
	var n time.Duration
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.BatchSize, o.Lease = 100, 5*time.Minute
		o.RetryBase, o.RetryMax = 30*time.Second, time.Hour                        // the defaults
		o.Probe, o.Once = func(context.Context) error { return nil }, crm.SendOnce // as the daemon
		o.Jitter = func(d time.Duration) time.Duration {                           // spread as the random one, repeatably
			n++
			return d * (n % 16) / 16
		}
	})
	enqueueLeads(t, r.db, hubspot.Name, 0, 100)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, BodyContains: email(37), Action: crmfake.ActError, Status: 504})
	ctx := context.Background()
	if sum, err := r.s.RunOnce(ctx); err != nil || len(sum.Aside) != 100 {
		t.Fatalf("first run = %+v, %v; want the batch of 100 set aside", sum, err)
	}
	for second := 0; second < 60; second++ {
		r.clk.Advance(time.Second)
		if _, err := r.s.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if st := r.srv.State(); len(st.Contacts) != 99 {
		t.Errorf("the CRM holds %d contacts a minute on; want the 99 it takes (%v)", len(st.Contacts), countStates(allOps(t, r.db)))
	}
	// The first call resent by the client (3 times: it knew of no
	// trouble), the halving's calls and, the one left a minute on, its
	// next try, each sent once.
	if n := r.srv.CountRequests("POST", contactsUpsert, 0); n > 4+14+1 {
		t.Errorf("the CRM saw %d requests of the contacts' batches; want the batch's 4 and at most 14 of its halving, 1 more after", n)
	}
	if op := opsOfLead(t, r.db, 37)[0]; op.State != syncd.OpPending || op.Attempts != 0 {
		t.Errorf("lead 37's contact: %s after %d attempts; want pending, none used up", op.State, op.Attempts)
	}
}
