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

// benchLeads is how many queued leads each drain benchmark delivers.
const benchLeads = 10000

// BenchmarkDrain drains 10,000 queued leads (20,000 outbox ops) from a real
// database into crmfake over HTTP through the hubspot adapter:
//
//	go test ./internal/syncer -run '^$' -bench Drain -benchtime 1x
//
// "unlimited" has no rate limit and reports leads/s, next to the same drain
// into an in-memory CRM measured in the same run (the store's own cost).
// "ratelimited" runs HubSpot's 100 requests per 10 s compressed five times
// (100 per 2 s, on both the fake and the client): it reports the share of
// the request budget used (requests sent / the most a rolling window of 100
// per 2 s lets through between the first and the last request, that is
// 100 x (floor(span / 2 s) + 1)) and the 429s received.
func BenchmarkDrain(b *testing.B) {
	b.Run("unlimited", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			base := drainOnce(b, newMemCRM())
			srv, a := benchHubSpot(b, 0, 0)
			b.StartTimer()
			took := drainOnce(b, a)
			b.StopTimer()
			b.ReportMetric(benchLeads/took.Seconds(), "leads/s")
			b.ReportMetric(benchLeads/base.Seconds(), "store-only-leads/s")
			b.ReportMetric(base.Seconds()/took.Seconds(), "x-of-store-only")
			b.ReportMetric(float64(srv.CountRequests("", "/crm/", 0)), "requests")
			b.StartTimer()
		}
	})
	b.Run("ratelimited", func(b *testing.B) {
		const limit, interval = 100, 2 * time.Second
		for b.Loop() {
			b.StopTimer()
			srv, a := benchHubSpot(b, limit, interval)
			b.StartTimer()
			drainOnce(b, a)
			b.StopTimer()
			reqs := srv.Requests()
			span := reqs[len(reqs)-1].Time.Sub(reqs[0].Time)
			// The most a rolling window of limit per interval lets through
			// with every request inside span.
			allowed := float64(limit * (int(span/interval) + 1))
			b.ReportMetric(100*float64(len(reqs))/allowed, "%budget")
			b.ReportMetric(float64(srv.CountRequests("", "/crm/", 429)), "429s")
			b.ReportMetric(float64(len(reqs)), "requests")
			b.ReportMetric(benchLeads/span.Seconds(), "leads/s")
			b.StartTimer()
		}
	})
}

// benchHubSpot starts crmfake as HubSpot with a rolling-window limit of
// limit per interval (none when 0) and an adapter limited the same way.
func benchHubSpot(b *testing.B, limit int, interval time.Duration) (*crmfake.Server, *hubspot.Adapter) {
	srv := crmfake.New(crmfake.Options{Kind: crmfake.KindHubSpot, Token: fakeToken, RateLimit: limit, RateInterval: interval})
	base := srv.Start()
	b.Cleanup(func() { _ = srv.Close() })
	h := crm.Options{RateLimit: limit, RateInterval: interval}
	if limit == 0 {
		h.RateLimit = -1
	}
	return srv, hubspot.New(hubspot.Options{BaseURL: base, Token: fakeToken, HTTP: h})
}

// drainOnce queues benchLeads leads for a's target in a fresh database and
// times one RunOnce that must deliver them all.
func drainOnce(b *testing.B, a syncd.CRM) time.Duration {
	b.Helper()
	db := openDB(b, nil)
	enqueueLeads(b, db, a.Name(), 0, benchLeads)
	s := newSyncer(b, db, a, nil, func(o *syncer.Options) { o.CallTimeout = time.Minute })
	start := time.Now()
	sum, err := s.RunOnce(context.Background())
	took := time.Since(start)
	if err != nil || sum.Done != 2*benchLeads {
		b.Fatalf("drain = %+v, %v", sum, err)
	}
	return took
}
