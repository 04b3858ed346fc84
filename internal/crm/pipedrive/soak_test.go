package pipedrive_test

import (
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
)

// TestSoakRandomFaults delivers leads with a fault on about 20% of calls
// while search lags behind writes.
func TestSoakRandomFaults(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("soak")
	}
	srv, a, _ := setup(t, crmfake.Options{Seed: 5, SearchLag: 30 * time.Millisecond}, pipedrive.Options{Settle: 50 * time.Millisecond})
	for _, f := range crmtest.SoakFaults("/api/v2/**") {
		srv.AddFault(f)
	}
	cs, ds := crmtest.Leads(600)
	cr, dr := deliver(t, a, cs, ds)
	crmtest.CheckClean(t, srv, 600, cr, dr)
	t.Logf("%d requests, %d faults fired", len(srv.Requests()), crmtest.Fired(srv))
}

// BenchmarkDrainUnlimited: 2,000 leads through Pipedrive's one-record
// calls with no rate limit, reporting leads/s and requests per lead.
func BenchmarkDrainUnlimited(b *testing.B) {
	for range b.N {
		b.StopTimer()
		srv := newFake(crmfake.Options{Kind: crmfake.KindPipedrive, Token: token})
		base := srv.Start()
		a := pipedrive.New(pipedrive.Options{BaseURL: base, Token: token, LeadIDField: crmfake.DefaultPipedriveLeadField, HTTP: crm.Options{RateLimit: -1}})
		cs, ds := crmtest.Leads(2000)
		b.StartTimer()
		start := time.Now()
		for i := 0; i < len(cs); i += 500 {
			crmtest.Deliver(b.Context(), a, cs[i:i+500], ds[i:i+500], 3)
		}
		elapsed := time.Since(start)
		b.StopTimer()
		b.ReportMetric(2000/elapsed.Seconds(), "leads/s")
		b.ReportMetric(float64(len(srv.Requests()))/2000, "requests/lead")
		if d := srv.State().Duplicates(); len(d) > 0 || len(srv.State().Deals) != 2000 {
			b.Fatalf("duplicates %v, %d deals", d, len(srv.State().Deals))
		}
		_ = srv.Close()
	}
}
