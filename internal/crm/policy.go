package crm

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

type ctxKey int

const (
	keySafe ctxKey = iota
	keyOp
	keyOnce
)

// SendOnce returns a context under which calls are sent once, never
// resent whatever the answer: for a caller that only asks whether the CRM
// answers now (the syncer's stuck-batch probe), where each resend is one
// more request into an outage, counted against the CRM's limits.
func SendOnce(ctx context.Context) context.Context {
	return context.WithValue(ctx, keyOnce, true)
}

func onceOf(ctx context.Context) bool {
	once, _ := ctx.Value(keyOnce).(bool)
	return once
}

// withSafe marks a request as safe to resend by the HTTP layer.
func withSafe(ctx context.Context, safe bool) context.Context {
	return context.WithValue(ctx, keySafe, safe)
}

// withOp names the operation a request belongs to, for the observer.
func withOp(ctx context.Context, op string) context.Context {
	return context.WithValue(ctx, keyOp, op)
}

func opOf(ctx context.Context) string {
	op, _ := ctx.Value(keyOp).(string)
	return op
}

func safeOf(ctx context.Context) bool {
	safe, _ := ctx.Value(keySafe).(bool)
	return safe
}

// Idempotent reports whether a method may be resent without thought:
// repeating it has the same effect as sending it once.
func Idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions, http.MethodPatch:
		// PATCH is idempotent here because the adapters only ever set
		// properties to absolute values.
		return true
	}
	return false
}

// Policy is the CRM retry policy: what go-retryablehttp resends and how long
// it waits in between.
type Policy struct {
	// RetryAfterCap is the longest Retry-After the client waits for inside
	// one call; past it the call gives up and the operation waits for a
	// later run.
	RetryAfterCap time.Duration
	// Now is the clock a Retry-After date is read against; default time.Now.
	Now func() time.Time
}

func (p Policy) now() time.Time {
	if p.Now == nil {
		return time.Now()
	}
	return p.Now()
}

// CheckRetry decides whether to resend. 429 is always resent (the CRM did
// nothing), unless its Retry-After is past the cap or it is a daily-limit
// answer. 5xx and network errors are resent only for requests that are
// safe to resend (idempotent methods, or marked safe by the adapter), except
// one that never reached the CRM: a refused connection, or one closed before
// any of the request went out (closedBeforeWritten). A redirect to another
// origin, refused, is not resent: base_url is to be fixed. Nothing is
// resent once ctx has ended; an answer that came is returned.
func (p Policy) CheckRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		if err == nil && resp != nil { // answered as the caller stopped: the answer is taken (attempt)
			return false, nil
		}
		return false, ctx.Err()
	}
	if onceOf(ctx) {
		return false, nil
	}
	safe := safeOf(ctx)
	if err != nil {
		switch {
		case resp != nil: // a redirect refused (sameOrigin): a resend gets the same
			return false, nil
		case notSent(err):
			return true, nil
		}
		return safe, nil
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		if d, ok := RetryAfter(resp.Header, p.now()); ok && d > p.RetryAfterCap {
			return false, nil
		}
		return !dailyLimit(resp), nil
	case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
		return safe, nil
	}
	return false, nil
}

// Backoff waits exponentially longer with full jitter, honouring a
// Retry-After that CheckRetry let through (it is within the cap).
func (p Policy) Backoff(min, max time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := RetryAfter(resp.Header, p.now()); ok {
			if d > max {
				d = max
			}
			return d
		}
	}
	return syncd.Backoff(min, max, attempt, randN)
}

func randN(d time.Duration) time.Duration { return rand.N(d) }

// RetryAfter parses a Retry-After header (seconds or an HTTP date). A date
// is the CRM's clock's: it is read against the answer's Date, the same
// clock (RFC 9110 10.2.3), and against now only without one; a host whose
// clock is an hour behind read a 20 s wait as an hour and 20 s.
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s < 0 {
			return 0, true
		}
		return time.Duration(s * float64(time.Second)), true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		now = date
	}
	d := t.Sub(now)
	if d < 0 {
		d = 0
	}
	return d, true
}

// dailyLimit tells a daily-quota 429 from a burst 429 by its headers or,
// failing them, by the policy its body names (HubSpot may send DAILY only
// there).
func dailyLimit(resp *http.Response) bool {
	if resp.StatusCode != http.StatusTooManyRequests {
		return false
	}
	if v := resp.Header.Get("X-HubSpot-RateLimit-Daily-Remaining"); v == "0" {
		return true
	}
	if v := resp.Header.Get("X-Daily-Requests-Left"); v == "0" {
		return true
	}
	return PipedriveTokensSpent(resp.Header) || dailyBody(resp)
}

// PipedriveTokensSpent tells Pipedrive's 429 for a spent daily token
// budget from a burst 429: no header reports the budget, but a 429 while
// x-ratelimit-remaining shows room left in the 2-second window cannot be
// the burst limit.
func PipedriveTokensSpent(h http.Header) bool {
	n, err := strconv.Atoi(h.Get("X-Ratelimit-Remaining"))
	return err == nil && n > 0
}

// notSent reports whether err shows the request never reached the server,
// so resending it cannot duplicate anything.
func notSent(err error) bool {
	if errors.Is(err, errSentLate) || closedBeforeWritten(err) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	return false
}
