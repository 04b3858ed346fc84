package crm

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"
)

// HubSpot's rate-limit semantics, apart from what Pipedrive shares: the
// window's length comes with its size, and a daily-limit 429 may say so
// only in its body.

// HubSpotWindow reads X-HubSpot-RateLimit-Max and
// X-HubSpot-RateLimit-Interval-Milliseconds: the account's requests per
// window and the window's length. ok is false unless both are present.
func HubSpotWindow(h http.Header) (limit int, interval time.Duration, ok bool) {
	max, err1 := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Max"))
	ms, err2 := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Interval-Milliseconds"))
	if err1 != nil || err2 != nil || max <= 0 || ms <= 0 {
		return 0, 0, false
	}
	return max, time.Duration(ms) * time.Millisecond, true
}

// Adopt sets the window to the CRM's own: limit requests per interval,
// larger or smaller than configured, since the CRM's figure is the
// account's real budget.
func (l *Limiter) Adopt(limit int, interval time.Duration) {
	if l == nil || limit <= 0 || interval <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.limit, l.interval, l.margin = limit, interval, interval/100
}

// Window returns the limiter's current limit and interval.
func (l *Limiter) Window() (int, time.Duration) {
	if l == nil {
		return 0, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.limit, l.interval
}

// maxErrBody bounds what is read of a 429 body to look for its policy.
const maxErrBody = 64 << 10

// dailyBody reports whether a 429's body names the daily policy
// ("policyName":"DAILY"), leaving the body readable for the caller.
func dailyBody(resp *http.Response) bool {
	if resp.Body == nil {
		return false
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxErrBody))
	rest := resp.Body
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(b), rest), rest}
	if err != nil {
		return false
	}
	var e struct {
		PolicyName string `json:"policyName"`
	}
	return json.Unmarshal(b, &e) == nil && e.PolicyName == "DAILY"
}

// HubSpotSecondly reads X-HubSpot-RateLimit-Secondly and -Remaining:
// requests allowed per second on top of the 10-second window, and what is
// left of the current second (-1 when absent). HubSpot still sends them;
// whether the limit is still enforced is not documented, so it is honoured.
func HubSpotSecondly(h http.Header) (n, remaining int, ok bool) {
	n, err := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Secondly"))
	if err != nil || n <= 0 {
		return 0, -1, false
	}
	remaining, err = strconv.Atoi(h.Get("X-HubSpot-RateLimit-Secondly-Remaining"))
	if err != nil {
		remaining = -1
	}
	return n, remaining, true
}

// AdoptSecondly adds (or resizes) a one-second window of n requests that
// every request must also fit in, and books in it what the CRM counted
// that this client did not (remaining as in Observe).
func (l *Limiter) AdoptSecondly(n, remaining int) {
	if l == nil || n <= 0 {
		return
	}
	l.mu.Lock()
	if l.burst == nil {
		l.burst = NewLimiter(n, time.Second, l.now)
		l.burst.sleep = l.sleep
	} else {
		l.burst.Adopt(n, time.Second)
	}
	b := l.burst
	l.mu.Unlock()
	b.Observe(n, remaining)
}

// acquireBurst books a slot in the second window, if any, and returns when
// it was booked (zero without one) and how long it waited.
func (l *Limiter) acquireBurst(ctx context.Context) (time.Time, time.Duration, error) {
	l.mu.Lock()
	b := l.burst
	l.mu.Unlock()
	if b == nil {
		return time.Time{}, 0, nil
	}
	s, waited, err := b.Acquire(ctx)
	return s.at, waited, err
}

// settleBurst settles s's slot in the second window.
func (l *Limiter) settleBurst(s Slot) {
	l.mu.Lock()
	b := l.burst
	l.mu.Unlock()
	if b != nil && !s.burstAt.IsZero() {
		b.Settle(Slot{at: s.burstAt})
	}
}

// releaseBurst gives back the place booked at at in the second window,
// if any, of a request never sent.
func (l *Limiter) releaseBurst(at time.Time) {
	l.mu.Lock()
	b := l.burst
	l.mu.Unlock()
	if b != nil && !at.IsZero() {
		b.release(Slot{at: at})
	}
}

// hubspotOtherLimit reports whether a 429 came from another HubSpot limit
// than the window (per second, search, daily): the window's own headers
// say requests remain in it, so it must not be booked full.
func hubspotOtherLimit(h http.Header, remaining int) bool {
	_, _, ok := HubSpotWindow(h)
	return ok && remaining > 0
}
