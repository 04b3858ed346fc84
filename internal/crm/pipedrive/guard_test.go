package pipedrive_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// deliverUntil resends what failed transiently until everything is done or
// d has passed, pausing between rounds as the syncer's back-off would.
func deliverUntil(t *testing.T, a syncd.CRM, cs []syncd.Contact, ds []syncd.Deal, d time.Duration) (cr, dr []syncd.Result) {
	t.Helper()
	ctx := context.Background()
	end := time.Now().Add(d)
	cr, dr = crmtest.Deliver(ctx, a, cs, ds, 3)
	for time.Now().Before(end) && (failing(cr) || failing(dr)) {
		time.Sleep(50 * time.Millisecond)
		cr, dr = crmtest.Deliver(ctx, a, cs, ds, 3)
	}
	return cr, dr
}

// TestExactlyOnceLagLongerThanSettle drops the answers of person and deal
// creates (after applying them) while Pipedrive's search and lists both lag
// several times longer than the settle time: no person or deal may be made
// twice.
func TestExactlyOnceLagLongerThanSettle(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		object string
		action crmfake.Action
	}{
		{"persons", crmfake.ActApplyThenDrop}, {"deals", crmfake.ActApplyThenDrop},
		{"persons", crmfake.ActDrop}, // never applied: created once the lists prove it
	} {
		t.Run(tc.object+" "+string(tc.action), func(t *testing.T) {
			t.Parallel()
			srv, a, _ := setup(t,
				crmfake.Options{SearchLag: 1500 * time.Millisecond, ListLag: 1200 * time.Millisecond, Seed: 11},
				pipedrive.Options{Settle: 150 * time.Millisecond})
			srv.AddFault(crmfake.Fault{Method: "POST", Path: "/api/v2/" + tc.object, Action: tc.action, Probability: 0.3})
			cs, ds := crmtest.Leads(12)
			cr, dr := deliverUntil(t, a, cs, ds, 20*time.Second)
			crmtest.CheckClean(t, srv, 12, cr, dr)
			if crmtest.Fired(srv) == 0 {
				t.Fatal("no answer was dropped")
			}
			rechecks := 0
			for _, r := range srv.Requests() {
				if r.Method == "GET" && strings.Contains(r.Query, "sort_by=add_time") {
					rechecks++
				}
			}
			if rechecks == 0 {
				t.Fatal("the guard never looked again")
			}
			t.Logf("%d faults fired, %d rechecks", crmtest.Fired(srv), rechecks)
		})
	}
}

// TestSettleCountsFromSend: a create that waited for the rate limiter is
// stamped when it was sent, so the settle time is not eaten by the wait.
func TestSettleCountsFromSend(t *testing.T) {
	t.Parallel()
	srv, a, links := setup(t, crmfake.Options{}, pipedrive.Options{HTTP: crm.Options{RateLimit: 3, RateInterval: 400 * time.Millisecond, Timeout: time.Second}})
	cs, _ := crmtest.Leads(1)
	start := time.Now()
	a.UpsertContacts(context.Background(), cs) // search, create: two of the limit's three requests
	srv.AddFault(crmfake.Fault{Method: "POST", Path: "/api/v2/persons", Action: crmfake.ActApplyThenDrop})
	cs2 := []syncd.Contact{{Key: "late@example.com", Email: "late@example.com", Properties: map[string]string{"name": "Late"}}}
	a.UpsertContacts(context.Background(), cs2) // search goes at once, the create waits for the window
	sent, err := links.Intent(context.Background(), pipedrive.Name, syncd.RecordContact, "late@example.com")
	if err != nil || sent.IsZero() {
		t.Fatalf("intent %v: %v", sent, err)
	}
	if waited := sent.Sub(start); waited < 400*time.Millisecond {
		t.Fatalf("intent stamped %v after start, before the limiter let the create go", waited)
	}
}

// TestLoneCreateLagLongerThanSettle: a single lead whose create answer is
// lost while the lists lag longer than the settle time, with nothing
// created since: the records created shortly before, still missing from the
// lists, show the lag, so the create waits instead of repeating.
func TestLoneCreateLagLongerThanSettle(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{SearchLag: 1500 * time.Millisecond, ListLag: 1200 * time.Millisecond},
		pipedrive.Options{Settle: 150 * time.Millisecond})
	cs, ds := crmtest.Leads(6)
	cr, dr := deliverUntil(t, a, cs[:5], ds[:5], 5*time.Second)
	crmtest.CheckClean(t, srv, 5, cr, dr)
	time.Sleep(200 * time.Millisecond) // the earlier records are older than the settle time, younger than the lag
	srv.AddFault(crmfake.Fault{Method: "POST", Path: "/api/v2/persons", Action: crmfake.ActApplyThenDrop, Uses: 1})
	cr, dr = deliverUntil(t, a, cs, ds, 10*time.Second)
	crmtest.CheckClean(t, srv, 6, cr, dr)
}
