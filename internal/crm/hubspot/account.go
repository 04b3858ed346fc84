package hubspot

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
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

// location returns the account's zone, when known.
func (a *Adapter) location() (*time.Location, bool) {
	if a.opts.TimeZone != nil {
		return a.opts.TimeZone, true
	}
	a.zone.mu.Lock()
	defer a.zone.mu.Unlock()
	return a.zone.loc, a.zone.loc != nil
}

// untilReset is how long until HubSpot's daily limit resets: midnight in
// the account's time zone. While the zone is unknown (its look-up refused
// too, on a day the limit was spent before the adapter started), it is the
// next full hour, when the adapter tries once again: UTC midnight would
// come hours after the reset east of UTC.
func (a *Adapter) untilReset(now time.Time) time.Duration {
	if loc, ok := a.location(); ok {
		return crm.UntilMidnight(now, loc)
	}
	return now.Truncate(time.Hour).Add(time.Hour).Sub(now)
}

// loadZone reads the account's time zone from GET /account-info/v3/details
// unless it is configured or known, or a look-up failed within zoneRetry.
// A failure is not an error of the call being made: a daily pause then
// ends at the next full hour (see untilReset).
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
	d, resp, err := a.details(ctx)
	if err != nil || resp.Status != http.StatusOK || d.TimeZone == "" {
		ev := a.opts.Logger.Warn()
		if transient(resp, err) {
			// The CRM down or busy: the call being made fails so too and
			// the syncer says that, with what to do. Before, `syncd sync`
			// also warned of the zone, which no one can act on.
			ev = a.opts.Logger.Debug()
		}
		ev.Msg("hubspot: account time zone unknown; a spent daily limit is tried again every hour")
		return
	}
	loc, err := time.LoadLocation(d.TimeZone)
	if err != nil {
		a.opts.Logger.Warn().Str("time_zone", d.TimeZone).Msg("hubspot: account time zone not in the zone database")
		return
	}
	a.zone.loc = loc
}

// transient reports whether a read got no answer, or one that says the
// CRM is down or busy (408, 429, 477, 5xx) rather than refusing it.
func transient(resp *crm.Response, err error) bool {
	if err != nil {
		return true
	}
	s := resp.Status
	return s >= 500 || s == http.StatusTooManyRequests || s == http.StatusRequestTimeout || s == 477
}

// accountDetails is what GET /account-info/v3/details answers that syncd reads.
type accountDetails struct {
	PortalID    json.Number `json:"portalId"`
	AccountType string      `json:"accountType"`
	TimeZone    string      `json:"timeZone"`
	UIDomain    string      `json:"uiDomain"`
	// Currency is the company currency, a new deal's when none is sent.
	Currency string `json:"companyCurrency"`
}

// details reads the account's details; a non-200 answer is returned, not
// classified (classify reads the zone, which loadZone holds locked). Under
// crm.ReadAccountOnce they are read once.
func (a *Adapter) details(ctx context.Context) (accountDetails, *crm.Response, error) {
	r, err := crm.ReadAccount(ctx, Name, func(ctx context.Context) (detailsRead, error) {
		d, resp, err := a.readDetails(ctx)
		return detailsRead{d, resp}, err
	})
	return r.d, r.resp, err
}

// detailsRead is what readDetails answered.
type detailsRead struct {
	d    accountDetails
	resp *crm.Response
}

// readDetails reads the account's details from the CRM.
func (a *Adapter) readDetails(ctx context.Context) (accountDetails, *crm.Response, error) {
	var d accountDetails
	resp, err := a.http.Do(ctx, crm.Call{Op: "account_details", Method: http.MethodGet, Header: a.header(),
		URL: a.opts.BaseURL + "/account-info/v3/details"})
	if err != nil || resp.Status != http.StatusOK {
		return d, resp, err
	}
	return d, resp, crm.DecodeJSON(resp, &d)
}

// Account names the HubSpot account the token belongs to: its hub id
// (portalId), UI domain, type and time zone.
func (a *Adapter) Account(ctx context.Context) (crm.Account, error) {
	d, resp, err := a.details(ctx)
	if err == nil && resp.Status != http.StatusOK {
		err = a.classifyRead(resp)
	}
	if err != nil {
		return crm.Account{}, fmt.Errorf("account details: %w", err)
	}
	return crm.Account{IDName: "hub id", ID: d.PortalID.String(), Domain: d.UIDomain, Type: d.AccountType, TimeZone: d.TimeZone}, nil
}

// checkCurrency warns when the mappings write a deal's amount but not its
// deal_currency_code: HubSpot then gives the deal the account's company
// currency, named in the warning, which need not be the one the amount is
// in.
func (a *Adapter) checkCurrency(ctx context.Context, specs []syncd.FieldSpec) []syncd.Finding {
	amount, ok := specNamed(specs, syncd.RecordDeal, "amount")
	if _, cur := specNamed(specs, syncd.RecordDeal, "deal_currency_code"); !ok || cur {
		return nil
	}
	d, resp, err := a.details(ctx)
	currency := d.Currency
	if err != nil || resp.Status != http.StatusOK || currency == "" {
		currency = "not known: the account details could not be read"
	}
	return []syncd.Finding{{Severity: syncd.SevWarn, Object: "deals", Name: "amount", Property: "amount",
		Problem: fmt.Sprintf("%s writes a deal amount without deal_currency_code: HubSpot gives such deals the company currency (%s)", amount.WhereWritten(), currency),
		Fix:     fmt.Sprintf("write the amount's currency too in %s (deal_currency_code: {const: DKK}, say: one of the account's currencies)", amount.WhereWritten())}}
}
