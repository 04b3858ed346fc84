package crm

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// Budget is a rate limit of its own that some calls spend besides the
// general one: Pipedrive's search allows 10 requests per 2 s on every
// plan, whatever the general limit. Such calls wait for both; the answers
// to them describe their own budget (x-ratelimit-* on a search answer is
// the search limit), so they correct only it and never slow other calls.
type Budget struct {
	Limit    int
	Interval time.Duration
}

type budgetKey struct{}

// withBudget names the further budget a request spends ("" none).
func withBudget(ctx context.Context, name string) context.Context {
	if name == "" {
		return ctx
	}
	return context.WithValue(ctx, budgetKey{}, name)
}

// newBudgets makes a limiter per budget.
func newBudgets(bs map[string]Budget, now func() time.Time) map[string]*Limiter {
	out := map[string]*Limiter{}
	for name, b := range bs {
		if l := NewLimiter(b.Limit, b.Interval, now); l != nil {
			l.budget = name
			out[name] = l
		}
	}
	return out
}

// spendsBudget reports whether the request names a further budget, whose
// limit its answer may describe instead of the general one.
func spendsBudget(ctx context.Context) bool {
	name, _ := ctx.Value(budgetKey{}).(string)
	return name != ""
}

// adoptGeneral sets the general window's size to Pipedrive's
// x-ratelimit-limit, larger or smaller than configured, from the answer to
// a call that spends no further budget: such an answer carries the
// account's general burst limit (40 per 2 s on Growth, not the default
// 20), while a search answer carries the search limit and is never read
// here. HubSpot's window is adopted from its own headers (HubSpotWindow).
func (l *Limiter) adoptGeneral(resp *http.Response) {
	h := resp.Header
	if l == nil || resp.StatusCode == http.StatusTooManyRequests || h.Get("X-HubSpot-RateLimit-Max") != "" {
		return
	}
	if n, err := strconv.Atoi(h.Get("X-Ratelimit-Limit")); err == nil && n > 0 {
		_, interval := l.Window()
		l.Adopt(n, interval)
	}
}

// own is the limiter of the request's further budget, or nil.
func (t *transport) own(ctx context.Context) *Limiter {
	name, _ := ctx.Value(budgetKey{}).(string)
	return t.budgets[name]
}

// acquire books the request in its own budget, then in the general one.
// On an error nothing stays booked: the request is not sent.
func (t *transport) acquire(ctx context.Context) (own *Limiter, oslot, slot Slot, waited time.Duration, err error) {
	own = t.own(ctx)
	oslot, waited, err = own.Acquire(ctx)
	if err != nil {
		return own, oslot, slot, waited, err
	}
	slot, w, err := t.lim.Acquire(ctx)
	if err != nil {
		own.release(oslot)
	}
	return own, oslot, slot, waited + w, err
}

// correctOwn feeds the CRM's rate-limit headers back into a call's own
// budget.
func correctOwn(lim *Limiter, resp *http.Response, now time.Time) {
	if lim == nil {
		return
	}
	max, remaining := RateHeaders(resp.Header)
	if resp.StatusCode == http.StatusTooManyRequests {
		if d, ok := RetryAfter(resp.Header, now); ok && d > 0 {
			lim.Pause(d)
			return
		}
		remaining = 0
	}
	lim.Observe(max, remaining)
}
