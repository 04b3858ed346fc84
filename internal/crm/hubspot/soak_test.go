package hubspot_test

import (
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
)

// TestSoakRandomFaults delivers a few thousand leads with a fault on about
// 20% of calls, mixed over every kind that loses or spoils an answer.
func TestSoakRandomFaults(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("soak")
	}
	srv, a := setup(t, crmfake.Options{Seed: 11}, hubspot.Options{BatchSize: 20})
	for _, f := range crmtest.SoakFaults("/crm/**") {
		srv.AddFault(f)
	}
	cs, ds := crmtest.Leads(3000)
	cr, dr := deliver(t, a, cs, ds, 60)
	crmtest.CheckClean(t, srv, 3000, cr, dr)
	t.Logf("%d requests, %d faults fired", len(srv.Requests()), crmtest.Fired(srv))
}
