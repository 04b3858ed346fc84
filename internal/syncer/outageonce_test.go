package syncer_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestCallsIntoAKnownOutageGoOnce: every CRM request draws a 503 for an
// hour. The first call, the CRM not known to fail, is resent by the
// client (a blip is answered so), but before, so was the call of every
// later try into the outage: four requests a try, each try itself a
// resend, and with a 504 that comes after the gateway's own timeout, four
// such waits inside one call. A try into an outage the syncer already
// knows of goes once; once a call goes through, calls go as usual again.
func TestCallsIntoAKnownOutageGoOnce(t *testing.T) {
	t.Parallel()
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.RetryBase, o.RetryMax = 30*time.Second, time.Hour // the defaults
		o.Once = crm.SendOnce                               // as the daemon
	})
	enqueueLeads(t, r.db, hubspot.Name, 0, 10)
	r.srv.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 503})
	ctx := context.Background()
	tries := 0
	for end := r.clk.Now().Add(time.Hour); r.clk.Now().Before(end); r.clk.Advance(time.Minute) {
		sum, err := r.s.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Calls > 0 {
			tries++
		}
	}
	if n := r.srv.CountRequests("POST", contactsUpsert, 0); tries < 5 || n > tries+3 {
		t.Errorf("an hour's outage: %d tries sent %d requests of the batch; want the first call's 4 and one a try after", tries, n)
	}
	r.srv.ClearFaults()
	r.clk.Advance(11 * time.Minute)
	if sum, err := r.s.RunOnce(ctx); err != nil || sum.Done != 20 {
		t.Errorf("run once the CRM is back = %+v, %v; want the 10 leads sent", sum, err)
	}
}
