package crm

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// RateHeaders reads a CRM's rate-limit headers: the window size and what
// remains of it (HubSpot X-HubSpot-RateLimit-*, Pipedrive x-ratelimit-*).
// remaining is -1 when absent.
func RateHeaders(h http.Header) (max, remaining int) {
	max, remaining = 0, -1
	for _, p := range [][2]string{
		{"X-HubSpot-RateLimit-Max", "X-HubSpot-RateLimit-Remaining"},
		{"X-Ratelimit-Limit", "X-Ratelimit-Remaining"},
	} {
		if v := h.Get(p[1]); v != "" {
			if n, err := strconv.Atoi(v); err == nil {
				remaining = n
			}
			if n, err := strconv.Atoi(h.Get(p[0])); err == nil {
				max = n
			}
			return max, remaining
		}
	}
	return max, remaining
}

// statusMigrating is HubSpot's 477 Migration in Progress, with Retry-After
// in seconds (up to 24 h).
const statusMigrating = 477

// Classify turns a non-2xx status into a CRMError. code and message come
// from the CRM's error body; daily says the CRM reported its daily quota as
// spent, and until is when that quota resets. now reads Retry-After dates.
func Classify(status int, h http.Header, code, message string, daily bool, until time.Duration, now time.Time) *syncd.CRMError {
	e := &syncd.CRMError{Status: status, Code: code, Message: message}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	ra, hasRA := RetryAfter(h, now)
	switch {
	case status == http.StatusTooManyRequests && daily:
		e.Class = syncd.ErrDailyLimit
		e.RetryAfter = until
		if hasRA && ra > until {
			e.RetryAfter = ra
		}
	case status == http.StatusTooManyRequests:
		e.Class = syncd.ErrRetry
		e.RetryAfter = ra
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		e.Class = syncd.ErrAuth
	case status == http.StatusPaymentRequired:
		// Pipedrive: the account's plan has lapsed; no write can succeed.
		e.Class = syncd.ErrAuth
	case status >= 500 || status == http.StatusRequestTimeout:
		e.Class = syncd.ErrRetry
		e.RetryAfter = ra
	case status == http.StatusLocked:
		// HubSpot locks records under high-volume upserts: wait at least 2 s.
		e.Class, e.RetryAfter = syncd.ErrRetry, max(ra, 2*time.Second)
	case status == statusMigrating:
		e.Class, e.RetryAfter = syncd.ErrRetry, ra
	case status >= 400:
		e.Class = syncd.ErrPermanent
	default:
		e.Class = syncd.ErrRetry
	}
	return e
}

// UntilMidnight is how long until the next midnight in loc: when HubSpot's
// daily limit resets (it counts days in the account's time zone).
func UntilMidnight(now time.Time, loc *time.Location) time.Duration {
	if loc == nil {
		loc = time.UTC
	}
	n := now.In(loc)
	next := time.Date(n.Year(), n.Month(), n.Day()+1, 0, 0, 0, 0, loc)
	return next.Sub(n)
}

// RetryErr is a transient CRMError carrying msg.
func RetryErr(msg string) *syncd.CRMError {
	return &syncd.CRMError{Class: syncd.ErrRetry, Message: msg}
}

// LimitFix is a check's fix for a read the CRM refused with 429 for its
// burst limit, "" for any other error (a spent daily limit included): the
// account needs nothing, the limit is spent for now, maybe by another
// integration on the same account or token.
func LimitFix(err error) string {
	var ce *syncd.CRMError
	if !errors.As(err, &ce) || ce.Status != http.StatusTooManyRequests || ce.Class == syncd.ErrDailyLimit {
		return ""
	}
	when := "in a minute"
	if ce.RetryAfter > 0 { // "in 10 seconds", as Retry-After says it, not Go's "10s"
		when = "in " + syncd.HowLong(ce.RetryAfter)
	}
	return "nothing to change in the account (another integration on the account may spend its limit too); run the check again " + when
}
