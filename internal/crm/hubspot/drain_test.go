package hubspot_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// drain delivers leads in calls of per leads, as the syncer hands them
// over, and returns the elapsed time.
func drain(tb testing.TB, a syncd.CRM, cs []syncd.Contact, ds []syncd.Deal, per int) time.Duration {
	tb.Helper()
	start := time.Now()
	for i := 0; i < len(cs); i += per {
		j := min(i+per, len(cs))
		cr, dr := crmtest.Deliver(context.Background(), a, cs[i:j], ds[i:j], 5)
		for k := range cr {
			if cr[k].Err != nil || dr[k].Err != nil {
				tb.Fatalf("lead %d: %v / %v", i+k, cr[k].Err, dr[k].Err)
			}
		}
	}
	return time.Since(start)
}

// budget is the share of the request budget used: requests over the most
// a rolling window admits in elapsed (limit at once, then limit more at
// each full interval).
func budget(requests, limit int, interval, elapsed time.Duration) float64 {
	return float64(requests) / float64(limit*(int(elapsed/interval)+1))
}

// TestSteadyBacklogGetsNo429 drains a backlog against the fake's rolling
// window with the client-side limiter set to the same limit (time
// compressed 20x: 100 requests per 500 ms).
func TestSteadyBacklogGetsNo429(t *testing.T) {
	// Not parallel: a rolling window timed by both sides in wall time, which other tests' CPU would disturb.
	srv, a := setup(t, crmfake.Options{RateLimit: 100, RateInterval: 500 * time.Millisecond},
		hubspot.Options{BatchSize: 10, HTTP: crm.Options{RateLimit: 100, RateInterval: 500 * time.Millisecond}})
	cs, ds := crmtest.Leads(1200)
	drain(t, a, cs, ds, 100)
	crmtest.CheckClean(t, srv, 1200, nil, nil)
	if n := srv.CountRequests("", "/crm/", 429); n != 0 {
		t.Fatalf("%d 429s", n)
	}
	if n := srv.CountRequests("", "/crm/", 0); n < 300 {
		t.Fatalf("only %d requests: the limit was never reached", n)
	}
}

// TestSharedTokenCorrectedByHeaders has another client spend part of the
// budget: the rate-limit headers must keep this one clear of 429s.
func TestSharedTokenCorrectedByHeaders(t *testing.T) {
	// Not parallel: a rolling window timed by both sides in wall time, which other tests' CPU would disturb.
	srv, a := setup(t, crmfake.Options{RateLimit: 50, RateInterval: 400 * time.Millisecond},
		hubspot.Options{BatchSize: 5, HTTP: crm.Options{RateLimit: 50, RateInterval: 400 * time.Millisecond}})
	other := crm.NewHTTPClient(crm.Options{Name: "other", RateLimit: 15, RateInterval: 400 * time.Millisecond})
	base := srv.BaseURL()
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			_, _ = other.Do(context.Background(), crm.Call{Op: "other", Method: "GET", URL: base + "/crm/v3/objects/contacts/1",
				Header: map[string][]string{"Authorization": {"Bearer " + token}}})
		}
	}()
	cs, ds := crmtest.Leads(300)
	drain(t, a, cs, ds, 50)
	close(stop)
	<-done
	crmtest.CheckClean(t, srv, 300, nil, nil)
	n429, ours := 0, 0
	for _, r := range srv.Requests() {
		if r.Path != "/crm/v3/objects/contacts/1" {
			ours++
			if r.Status == 429 {
				n429++
			}
		}
	}
	// The other client races us for what remains, so a few 429s are
	// possible; without the headers' correction about a third would be.
	t.Logf("%d 429s in %d requests", n429, ours)
	if n429*10 > ours {
		t.Fatalf("%d 429s in %d requests on a shared token", n429, ours)
	}
}

// BenchmarkDrainLimited: 10,000 queued leads against HubSpot's 100
// requests per 10 s, compressed 20x (100 per 500 ms), the syncer handing
// over 500 leads a call. Reports the share of the request budget used and
// the 429s received; batch=10 makes ten times the requests, so the pace is
// measured over some 30 windows instead of 3. Run with -benchtime=1x.
func BenchmarkDrainLimited(b *testing.B) {
	const limit, interval = 100, 500 * time.Millisecond
	for _, batch := range []int{100, 10} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				srv := crmfake.New(crmfake.Options{Kind: crmfake.KindHubSpot, Token: token, RateLimit: limit, RateInterval: interval})
				base := srv.Start()
				a := hubspot.New(hubspot.Options{BaseURL: base, Token: token, BatchSize: batch,
					HTTP: crm.Options{RateLimit: limit, RateInterval: interval}})
				cs, ds := crmtest.Leads(10000)
				b.StartTimer()
				elapsed := drain(b, a, cs, ds, 500)
				b.StopTimer()
				reqs := srv.CountRequests("", "/crm/", 0)
				b.ReportMetric(100*budget(reqs, limit, interval, elapsed), "%budget")
				b.ReportMetric(float64(srv.CountRequests("", "/crm/", 429)), "429s")
				b.ReportMetric(float64(reqs), "requests")
				b.ReportMetric(10000/elapsed.Seconds(), "leads/s")
				_ = srv.Close()
			}
		})
	}
}

// BenchmarkDrainUnlimited: 10,000 queued leads with no rate limit,
// reporting leads/s.
func BenchmarkDrainUnlimited(b *testing.B) {
	for range b.N {
		b.StopTimer()
		srv := crmfake.New(crmfake.Options{Kind: crmfake.KindHubSpot, Token: token})
		base := srv.Start()
		a := hubspot.New(hubspot.Options{BaseURL: base, Token: token, HTTP: crm.Options{RateLimit: -1}})
		cs, ds := crmtest.Leads(10000)
		b.StartTimer()
		elapsed := drain(b, a, cs, ds, 500)
		b.StopTimer()
		b.ReportMetric(10000/elapsed.Seconds(), "leads/s")
		b.ReportMetric(float64(srv.CountRequests("", "/crm/", 0)), "requests")
		_ = srv.Close()
	}
}
