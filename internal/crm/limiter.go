package crm

import (
	"context"
	"sync"
	"time"
)

// Limiter is a client-side rolling-window rate limiter: at most Limit
// requests in any window of Interval, which is how both HubSpot and
// Pipedrive count. A token bucket with the same average rate would let a
// full burst through at the start of each window and earn 429s.
//
// The CRM's own rate-limit headers correct it (see Observe): when the CRM
// counts more requests than this client sent (another client shares the
// token), the difference is booked as phantom requests.
type Limiter struct {
	limit    int
	interval time.Duration
	margin   time.Duration
	now      func() time.Time
	sleep    func(ctx context.Context, d time.Duration) error
	budget   string // the further budget it keeps (Options.Budgets), "" for the general one

	mu     sync.Mutex
	sent   []time.Time // send times within the last interval, oldest first
	paused time.Time   // until when Pause booked the window: the CRM's 429, not this limit, holds requests back
	burst  *Limiter    // a second, shorter window (HubSpot's per second); nil when none
}

// NewLimiter returns a limiter for limit requests per interval, or nil (no
// limit) when either is zero. now may be nil for time.Now.
func NewLimiter(limit int, interval time.Duration, now func() time.Time) *Limiter {
	if limit <= 0 || interval <= 0 {
		return nil
	}
	if now == nil {
		now = time.Now
	}
	return &Limiter{
		limit:    limit,
		interval: interval,
		// A little slack for the time between our clock reading and the
		// CRM's: the CRM sees requests later and in a slightly different order.
		margin: interval / 100,
		now:    now,
		sleep:  sleepCtx,
	}
}

// waitingFunc is told that a Limiter is about to hold a request back for
// d, and the limit that makes it: limit requests per interval of budget
// ("" for the general one); crmPaused when the CRM's 429 paused it
// (Pause), not the requests sent.
type waitingFunc func(d time.Duration, budget string, limit int, interval time.Duration, crmPaused bool)

type waitingKey struct{}

// withWaiting returns ctx under which a Limiter calls f before it holds a
// request back.
func withWaiting(ctx context.Context, f waitingFunc) context.Context {
	return context.WithValue(ctx, waitingKey{}, f)
}

// Slot is a request booked in the window, to be settled once answered.
type Slot struct{ at, burstAt time.Time }

// Wait blocks until one more request fits in the window, books it, and
// returns how long it waited.
func (l *Limiter) Wait(ctx context.Context) (time.Duration, error) {
	_, d, err := l.Acquire(ctx)
	return d, err
}

// Acquire is Wait returning the booked slot, for Settle.
func (l *Limiter) Acquire(ctx context.Context) (Slot, time.Duration, error) {
	if l == nil {
		return Slot{}, 0, nil
	}
	burstAt, waited, err := l.acquireBurst(ctx)
	if err != nil {
		return Slot{}, waited, err
	}
	for {
		l.mu.Lock()
		now := l.now()
		l.expire(now)
		if len(l.sent) < l.limit {
			l.sent = append(l.sent, now)
			l.mu.Unlock()
			return Slot{at: now, burstAt: burstAt}, waited, nil
		}
		d := l.sent[0].Add(l.interval + l.margin).Sub(now)
		paused := now.Before(l.paused)
		l.mu.Unlock()
		if d <= 0 {
			d = time.Millisecond
		}
		if f, ok := ctx.Value(waitingKey{}).(waitingFunc); ok {
			f(d, l.budget, l.limit, l.interval, paused)
		}
		if err := l.sleep(ctx, d); err != nil {
			l.releaseBurst(burstAt) // never sent: the second's place is free again
			return Slot{}, waited, err
		}
		waited += d
	}
}

// Settle moves a booked slot to now, when its answer arrived. The CRM
// counted the request somewhere between sending and answering; counting it
// at the answer keeps this window a superset of the CRM's, whatever the
// latency, so a limiter set to the CRM's limit never earns a 429.
func (l *Limiter) Settle(s Slot) {
	if l == nil || s.at.IsZero() {
		return
	}
	l.settleBurst(s)
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for i := len(l.sent) - 1; i >= 0; i-- {
		if l.sent[i].Equal(s.at) {
			copy(l.sent[i:], l.sent[i+1:])
			l.sent[len(l.sent)-1] = now
			// keep oldest first: now may precede slots booked meanwhile
			// only if the clock went back, so a single pass suffices.
			for j := len(l.sent) - 1; j > 0 && l.sent[j].Before(l.sent[j-1]); j-- {
				l.sent[j], l.sent[j-1] = l.sent[j-1], l.sent[j]
			}
			return
		}
	}
}

// release gives back a booked slot whose request was never sent (its
// context ended while it waited for another window, or it was stopped
// before the wire): the CRM counted nothing, so neither window does.
func (l *Limiter) release(s Slot) {
	if l == nil || s.at.IsZero() {
		return
	}
	l.releaseBurst(s.burstAt)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sent = drop(l.sent, s.at)
}

// drop removes one time equal to at from sent, the latest such.
func drop(sent []time.Time, at time.Time) []time.Time {
	for i := len(sent) - 1; i >= 0; i-- {
		if sent[i].Equal(at) {
			return append(sent[:i], sent[i+1:]...)
		}
	}
	return sent
}

// Observe corrects the limiter from a CRM answer: max is the CRM's window
// size (0 when unknown), remaining how many requests the CRM still allows
// in the current window (-1 when unknown).
func (l *Limiter) Observe(max, remaining int) {
	if l == nil || remaining < 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if max > 0 && max < l.limit {
		l.limit = max // the account's real limit is lower than configured
	}
	now := l.now()
	l.expire(now)
	crmUsed := l.limit - remaining
	// Our count includes requests sent after the one answered, so the
	// correction only ever books requests we did not send.
	for extra := crmUsed - len(l.sent); extra > 0; extra-- {
		l.sent = append(l.sent, now)
	}
}

// Pause books the whole window as used until the CRM's window ends (a 429
// that got through anyway).
func (l *Limiter) Pause(d time.Duration) {
	if l == nil || d <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if until := l.now().Add(d); until.After(l.paused) {
		l.paused = until
	}
	at := l.now().Add(d - l.interval)
	booked := make([]time.Time, 0, l.limit)
	for i := len(l.sent); i < l.limit; i++ {
		booked = append(booked, at)
	}
	for _, t := range l.sent {
		if t.Before(at) {
			t = at
		}
		booked = append(booked, t)
	}
	l.sent = booked
}

func (l *Limiter) expire(now time.Time) {
	cut := now.Add(-l.interval - l.margin)
	i := 0
	for i < len(l.sent) && !l.sent[i].After(cut) {
		i++
	}
	if i > 0 {
		l.sent = append(l.sent[:0], l.sent[i:]...)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
