package syncer_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// checkProbe makes o's Probe the daemon's (crm.Probe: a read of the
// objects API, then the account check, each read sent once), and counts its runs in *n.
func checkProbe(o *syncer.Options, n *int) {
	probe := crm.Probe(o.CRM.(syncd.Checker), func() []syncd.FieldSpec { return nil })
	o.Probe = func(ctx context.Context) error {
		*n++
		return probe(ctx)
	}
}

// TestRefusedConnectionRunsNoProbe: a connection refused is no batch the
// CRM never takes, yet each try into it ran the stuck-batch probe (the
// account check's reads) on top of the batch's own requests. It cools down
// as in an outage and runs no probe.
func TestRefusedConnectionRunsNoProbe(t *testing.T) {
	t.Parallel()
	var probes int
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) { checkProbe(o, &probes) })
	enqueueLeads(t, r.db, hubspot.Name, 0, 1)
	_ = r.srv.Close() // nothing listens at the CRM's address
	for try := range 3 {
		sum, err := r.s.RunOnce(context.Background())
		if err != nil || sum.CoolingUntil.IsZero() || len(sum.Aside) != 0 {
			t.Fatalf("try %d: run = %+v, %v; want a cool-down", try, sum, err)
		}
		r.clk.Advance(sum.CoolingUntil.Sub(r.clk.Now()) + time.Second)
	}
	if probes != 0 {
		t.Errorf("the probe ran %d times into a connection refused; want none", probes)
	}
}

// TestOutageRunsTheProbeAtMostEveryTenMinutes: for an hour every request
// draws a 503, on the default back-off. Before, each try ran the probe,
// its reads resent three times each: 16 requests a try where the batch
// alone makes 4, all counted against the CRM's limits. The probe runs at
// most once per ProbeEvery (10 minutes) while the CRM fails as when it last
// failed, its reads sent once. Once the CRM answers but for that batch (a
// 504 now), the probe runs at the next try, and the batch is set aside.
func TestOutageRunsTheProbeAtMostEveryTenMinutes(t *testing.T) {
	t.Parallel()
	var probes int
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.RetryBase, o.RetryMax = 30*time.Second, time.Hour // the defaults
		checkProbe(o, &probes)
	})
	enqueueLeads(t, r.db, hubspot.Name, 0, 1)
	r.srv.AddFault(crmfake.Fault{Path: "/**", Action: crmfake.ActError, Status: 503})
	ctx := context.Background()
	tries := 0
	for end := r.clk.Now().Add(time.Hour); r.clk.Now().Before(end); r.clk.Advance(time.Minute) {
		sum, err := r.s.RunOnce(ctx)
		if err != nil || len(sum.Aside) != 0 {
			t.Fatalf("run = %+v, %v; want no batch set aside in an outage", sum, err)
		}
		if sum.Calls > 0 {
			tries++
		}
	}
	batch := r.srv.CountRequests("POST", contactsUpsert, 0)
	others := r.srv.CountRequests("", "/oauth/", 0) + r.srv.CountRequests("GET", "/crm/v3/properties/", 0) // the check's
	if probes > 7 || others > 3*probes {
		t.Errorf("an hour's outage, %d tries (%d requests of the batch): %d probes, %d requests of theirs; want at most 7 probes of 3 requests each",
			tries, batch, probes, others)
	}

	r.srv.ClearFaults()
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, Action: crmfake.ActError, Status: 504})
	for minute := 0; minute < 11; minute++ {
		sum, err := r.s.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Calls > 0 {
			if len(sum.Aside) != 1 {
				t.Fatalf("first try with the CRM answering but for the batch: run = %+v; want the batch set aside", sum)
			}
			return
		}
		r.clk.Advance(time.Minute)
	}
	t.Fatal("no try in the 11 minutes after the outage")
}

// TestPassingCheckLetsTheNextProbeRun: the probe failed (the account not
// ready for the mappings: a 504 to a batch reads as an outage), then the
// operator fixed the mappings and reloaded, and the account check run on
// reload (Recheck) passed. The next try skipped the probe all the same
// (it had failed less than ProbeEvery ago, the batch failing as then),
// and the batch went on reading as an outage for up to 10 minutes. A
// passing check lets the next probe run: the batch is set aside at once.
func TestPassingCheckLetsTheNextProbeRun(t *testing.T) {
	t.Parallel()
	ready := errors.New("property preferred_branch does not exist on contacts")
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.Probe = func(context.Context) error { return ready }
		o.Check = func(context.Context) error { return ready }
	})
	enqueueLeads(t, r.db, hubspot.Name, 0, 1)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, Action: crmfake.ActError, Status: 504})
	ctx := context.Background()
	sum, err := r.s.RunOnce(ctx)
	if err != nil || sum.CoolingUntil.IsZero() {
		t.Fatalf("first run = %+v, %v; want a cool-down: the probe fails", sum, err)
	}
	ready = nil // the mappings fixed and reloaded
	if err := r.s.Recheck(ctx); err != nil {
		t.Fatal(err)
	}
	r.clk.Advance(sum.CoolingUntil.Sub(r.clk.Now()) + time.Second)
	if sum, err = r.s.RunOnce(ctx); err != nil || len(sum.Aside) != 1 || !sum.CoolingUntil.IsZero() {
		t.Errorf("run after the check passed = %+v, %v; want the batch set aside, no cool-down", sum, err)
	}
}
