package hubspot

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
)

// zoneRetry is how long after a failed look-up of the account's time zone
// the adapter asks again.
const zoneRetry = time.Hour

// accountZone is the account's time zone, where HubSpot's daily limit
// resets at midnight: Options.TimeZone when set, else read once from the
// account details API, else UTC.
type accountZone struct {
	mu    sync.Mutex
	loc   *time.Location
	tried time.Time
}

// location returns the zone known so far.
func (a *Adapter) location() *time.Location {
	if a.opts.TimeZone != nil {
		return a.opts.TimeZone
	}
	a.zone.mu.Lock()
	defer a.zone.mu.Unlock()
	if a.zone.loc == nil {
		return time.UTC
	}
	return a.zone.loc
}

// loadZone reads the account's time zone from GET /account-info/v3/details
// unless it is configured or known, or a look-up failed within zoneRetry.
// A failure is not an error of the call being made: the daily pause then
// ends at UTC midnight, which is early rather than late.
func (a *Adapter) loadZone(ctx context.Context) {
	if a.opts.TimeZone != nil {
		return
	}
	a.zone.mu.Lock()
	defer a.zone.mu.Unlock()
	now := a.opts.Now()
	if a.zone.loc != nil || (!a.zone.tried.IsZero() && now.Sub(a.zone.tried) < zoneRetry) {
		return
	}
	a.zone.tried = now
	resp, err := a.http.Do(ctx, crm.Call{Op: "account_details", Method: http.MethodGet, Header: a.header(),
		URL: a.opts.BaseURL + "/account-info/v3/details"})
	var d struct {
		TimeZone string `json:"timeZone"`
	}
	if err == nil && resp.Status == http.StatusOK {
		err = crm.DecodeJSON(resp, &d)
	}
	if err != nil || resp.Status != http.StatusOK || d.TimeZone == "" {
		a.opts.Logger.Warn().Msg("hubspot: account time zone unknown; the daily limit is taken to reset at UTC midnight")
		return
	}
	loc, err := time.LoadLocation(d.TimeZone)
	if err != nil {
		a.opts.Logger.Warn().Str("time_zone", d.TimeZone).Msg("hubspot: account time zone not in the zone database")
		return
	}
	a.zone.loc = loc
}
