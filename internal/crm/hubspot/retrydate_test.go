package hubspot_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestRetryAfterDateIsReadByTheCRMsClock: a 429's Retry-After given as a
// date is a time of the CRM's clock, which its answer's Date tells. Read
// by the clock of a host an hour behind, a wait of 20 s held every lead
// an hour and 20 s; an hour ahead, it was over at once, and the limit
// spent was called again at once.
func TestRetryAfterDateIsReadByTheCRMsClock(t *testing.T) {
	for _, off := range []time.Duration{time.Hour, -time.Hour} {
		crmNow := func() time.Time { return time.Now().Add(off) }
		srv, a := setup(t, crmfake.Options{Now: crmNow}, hubspot.Options{})
		srv.AddFault(crmfake.Fault{Action: crmfake.ActRateLimit,
			RetryAfter: crmNow().Add(20 * time.Second).UTC().Format(http.TimeFormat)})
		c, _ := lead(0)
		r := a.UpsertContacts(context.Background(), []syncd.Contact{c})[0]
		var ce *syncd.CRMError
		if !errors.As(r.Err, &ce) || ce.Status != http.StatusTooManyRequests {
			t.Fatalf("CRM %v off: got %+v, want the 429", off, r)
		}
		if ce.RetryAfter < 15*time.Second || ce.RetryAfter > 21*time.Second {
			t.Errorf("CRM's clock %v off the host's: Retry-After read as %v, want about 20s", off, ce.RetryAfter)
		}
	}
}
