package pipedrive_test

import (
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
)

// BenchmarkSearchBudget delivers 200 leads under Pipedrive's two limits,
// scaled to a 200 ms window (general 20, search 10): with a budget per
// limit, and with one limiter that, as before, adopts the smallest
// x-ratelimit-limit seen (the search answers' 10). Reports leads/s and
// the 429s earned; compare the two lines of one run.
//
//	go test ./internal/crm/pipedrive -run '^$' -bench SearchBudget -benchtime 1x
func BenchmarkSearchBudget(b *testing.B) {
	for _, bc := range []struct {
		name    string
		budgets map[string]crm.Budget
	}{
		{"one-limiter", map[string]crm.Budget{}},
		{"per-limit", map[string]crm.Budget{"search": {Limit: 10, Interval: 200 * time.Millisecond}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for range b.N {
				srv := newFake(crmfake.Options{Kind: crmfake.KindPipedrive, Token: token, RateLimit: 20,
					RateInterval: 200 * time.Millisecond, SearchLimit: 10, SearchWindow: 200 * time.Millisecond})
				a := pipedrive.New(pipedrive.Options{BaseURL: srv.Start(), Token: token, LeadIDField: crmfake.DefaultPipedriveLeadField,
					HTTP: crm.Options{RateLimit: 20, RateInterval: 200 * time.Millisecond, Budgets: bc.budgets}})
				cs, ds := crmtest.Leads(200)
				start := time.Now()
				crmtest.Deliver(b.Context(), a, cs, ds, 3)
				elapsed := time.Since(start)
				b.ReportMetric(200/elapsed.Seconds(), "leads/s")
				b.ReportMetric(float64(srv.CountRequests("", "/api/v2/", 429)), "429s")
				if d := srv.State().Duplicates(); len(d) > 0 || len(srv.State().Deals) != 200 {
					b.Fatalf("duplicates %v, %d deals", d, len(srv.State().Deals))
				}
				_ = srv.Close()
			}
		})
	}
}
