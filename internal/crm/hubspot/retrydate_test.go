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
	t.Parallel()
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

// TestDailyLimitResetsByHubSpotsClock: HubSpot's daily limit resets at
// midnight in the account's zone by HubSpot's clock. On a host whose
// clock was an hour behind, the pause for a spent limit ran to the host's
// midnight, an hour after the reset, every lead held an hour more.
func TestDailyLimitResetsByHubSpotsClock(t *testing.T) {
	t.Parallel()
	crmNow := func() time.Time { return time.Now().Add(time.Hour) }
	srv, a := setup(t, crmfake.Options{Now: crmNow}, hubspot.Options{TimeZone: time.UTC})
	srv.AddFault(crmfake.Fault{Action: crmfake.ActDailyLimit})
	c, _ := lead(0)
	r := a.UpsertContacts(context.Background(), []syncd.Contact{c})[0]
	var ce *syncd.CRMError
	if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrDailyLimit {
		t.Fatalf("got %+v, want the daily limit", r)
	}
	n := crmNow().UTC()
	want := time.Date(n.Year(), n.Month(), n.Day()+1, 0, 0, 0, 0, time.UTC).Sub(n)
	if d := ce.RetryAfter - want; d < -3*time.Second || d > 3*time.Second {
		t.Errorf("paused for %v, want %v: until midnight by HubSpot's clock", ce.RetryAfter, want)
	}
}
