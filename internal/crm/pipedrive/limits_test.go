package pipedrive_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// waits counts the client-side limiter's holds.
type waits struct{ n atomic.Int64 }

func (w *waits) CRMRequest(string, string, int, time.Duration) {}
func (w *waits) RateLimitWait(string, time.Duration)           { w.n.Add(1) }

// TestSearchLimitDoesNotSlowOtherCalls: a search answer carries the search
// limit (10 per 2 s) in x-ratelimit-*; the other calls must keep the
// general budget (40 per 2 s here), not drop to the search rate.
func TestSearchLimitDoesNotSlowOtherCalls(t *testing.T) {
	t.Parallel()
	obs := &waits{}
	srv, a, _ := setup(t, crmfake.Options{RateLimit: 40, RateInterval: 2 * time.Second, SearchLimit: 10},
		pipedrive.Options{HTTP: crm.Options{RateLimit: 40, RateInterval: 2 * time.Second, Observer: obs}})
	cs, _ := crmtest.Leads(1)
	ctx := context.Background()
	if r := a.UpsertContacts(ctx, cs)[0]; r.Err != nil { // a search, then the create
		t.Fatal(r.Err)
	}
	obs.n.Store(0)
	for range 30 { // updates by the linked id: no search
		if r := a.UpsertContacts(ctx, cs)[0]; r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	if n := obs.n.Load(); n != 0 {
		t.Fatalf("the limiter held %d of 30 updates back: the search limit slowed other calls", n)
	}
	if n := srv.CountRequests("", "/api/v2/", 429); n != 0 {
		t.Fatalf("%d answers 429", n)
	}
}

// TestSearchesKeepTheirOwnBudget: searches alone are held to 10 per 2 s
// without a single 429.
func TestSearchesKeepTheirOwnBudget(t *testing.T) {
	// Not parallel: a search budget timed by both sides in wall time, which other tests' CPU would disturb.
	obs := &waits{}
	srv, a, _ := setup(t, crmfake.Options{RateLimit: 40, RateInterval: 2 * time.Second, SearchLimit: 10, SearchWindow: 400 * time.Millisecond},
		pipedrive.Options{HTTP: crm.Options{RateLimit: 40, RateInterval: 2 * time.Second, Observer: obs,
			Budgets: map[string]crm.Budget{"search": {Limit: 10, Interval: 400 * time.Millisecond}}}})
	cs, _ := crmtest.Leads(15)
	for _, r := range a.UpsertContacts(context.Background(), cs) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	if n := srv.CountRequests("", "/api/v2/", 429); n != 0 {
		t.Fatalf("%d searches answered 429", n)
	}
	if obs.n.Load() == 0 {
		t.Fatal("15 searches went out without the search budget holding any back")
	}
}

// TestGeneralLimitAdoptedFromAnswers: configured below the account's burst
// limit (the default 20 where the plan allows 40), the adapter takes the
// limit its general answers carry, so 32 calls in one window are not held
// back; a search answer's smaller limit does not pull it down again.
func TestGeneralLimitAdoptedFromAnswers(t *testing.T) {
	t.Parallel()
	obs := &waits{}
	srv, a, _ := setup(t, crmfake.Options{RateLimit: 40, RateInterval: 10 * time.Second, SearchLimit: 10, SearchWindow: 10 * time.Second},
		pipedrive.Options{HTTP: crm.Options{RateLimit: 20, RateInterval: 10 * time.Second, Observer: obs,
			Budgets: map[string]crm.Budget{"search": {Limit: 10, Interval: 10 * time.Second}}}})
	cs, _ := crmtest.Leads(2)
	ctx := context.Background()
	for _, r := range a.UpsertContacts(ctx, cs) { // two searches and two creates
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	for range 14 { // updates by the linked ids: 28 more general calls
		for _, r := range a.UpsertContacts(ctx, cs) {
			if r.Err != nil {
				t.Fatal(r.Err)
			}
		}
	}
	if n := obs.n.Load(); n != 0 {
		t.Fatalf("the limiter held %d calls back: it kept the configured 20 instead of the account's 40", n)
	}
	if n := srv.CountRequests("", "/api/v2/", 429); n != 0 {
		t.Fatalf("%d answers 429", n)
	}
}

// TestBurst429OfTheFakeIsRetriedNotADailyPause: a burst 429 from the
// stand-in Pipedrive (its rate_limit fault, the 2-second window full, no
// Retry-After) fails the create it answered as one to try again, and the
// next try goes through. The fake answered it with room left in
// x-ratelimit-remaining, a spent daily token budget's signature: one 429
// in a trial failed the run's leads as DAILY_BUDGET and paused the adapter
// until the next full hour, sending nothing more.
func TestBurst429OfTheFakeIsRetriedNotADailyPause(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{RateLimit: 100, RateInterval: 2 * time.Second}, pipedrive.Options{})
	srv.AddFault(crmfake.Fault{Method: "POST", Path: "/api/v2/persons", Action: crmfake.ActRateLimit, Uses: 1})
	cs, ds := crmtest.Leads(3)
	cr, dr := crmtest.Deliver(context.Background(), a, cs, ds, 1)
	for _, r := range append(cr, dr...) {
		var ce *syncd.CRMError
		if r.Err != nil && (!errors.As(r.Err, &ce) || ce.Class != syncd.ErrRetry || ce.Code == "DAILY_BUDGET") {
			t.Fatalf("a burst 429 failed a lead as %+v; want one to try again", r.Err)
		}
	}
	cr, dr = crmtest.Deliver(context.Background(), a, cs, ds, 1)
	crmtest.CheckClean(t, srv, 3, cr, dr)
	if n := srv.CountRequests("POST", "/api/v2/persons", 429); n != 1 {
		t.Fatalf("%d burst 429s answered; want the fault's one", n)
	}
}
