package crm

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock whose sleeps advance it.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }
func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.t = c.t.Add(d)
	return nil
}

func newTestLimiter(limit int, interval time.Duration) (*Limiter, *fakeClock) {
	c := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := NewLimiter(limit, interval, c.now)
	l.sleep = c.sleep
	return l, c
}

// TestLimiterNeverExceedsWindow checks the defining property: no window of
// the interval holds more than limit requests, and the pace is close to it.
func TestLimiterNeverExceedsWindow(t *testing.T) {
	l, c := newTestLimiter(100, 10*time.Second)
	var sent []time.Time
	for range 1000 {
		if _, err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		sent = append(sent, c.now())
	}
	for i := 100; i < len(sent); i++ {
		if sent[i].Sub(sent[i-100]) < 10*time.Second {
			t.Fatalf("requests %d and %d only %v apart", i-100, i, sent[i].Sub(sent[i-100]))
		}
	}
	// 1000 requests at 100 per 10 s take at least 90 s; the margin adds 1%.
	if span := sent[999].Sub(sent[0]); span < 90*time.Second || span > 92*time.Second {
		t.Fatalf("span %v", span)
	}
}

func TestLimiterObserveBooksForeignRequests(t *testing.T) {
	l, c := newTestLimiter(10, time.Second)
	for range 2 {
		_, _ = l.Wait(context.Background())
	}
	// The CRM says only 3 remain: another client used 5 of the window.
	l.Observe(10, 3)
	start := c.now()
	for range 3 {
		_, _ = l.Wait(context.Background())
	}
	if c.now() != start {
		t.Fatal("waited within the remaining budget")
	}
	waited, _ := l.Wait(context.Background())
	if waited < time.Second {
		t.Fatalf("waited %v past the CRM's budget, want a full window", waited)
	}
}

func TestLimiterObserveAdoptsLowerMax(t *testing.T) {
	l, _ := newTestLimiter(100, time.Second)
	l.Observe(5, 5)
	for range 5 {
		if w, _ := l.Wait(context.Background()); w != 0 {
			t.Fatal("waited early")
		}
	}
	if w, _ := l.Wait(context.Background()); w == 0 {
		t.Fatal("sixth request not held back")
	}
}

func TestLimiterPause(t *testing.T) {
	l, _ := newTestLimiter(10, time.Second)
	l.Pause(3 * time.Second)
	if w, _ := l.Wait(context.Background()); w < 3*time.Second {
		t.Fatalf("waited %v after a 3s pause", w)
	}
}

func TestNilLimiterIsUnlimited(t *testing.T) {
	var l *Limiter = NewLimiter(0, time.Second, nil)
	if w, err := l.Wait(context.Background()); w != 0 || err != nil {
		t.Fatal("nil limiter waited")
	}
	l.Observe(1, 0)
	l.Pause(time.Hour)
}

func TestLimiterWaitEndsWithContext(t *testing.T) {
	l := NewLimiter(1, time.Hour, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, _ = l.Wait(ctx)
	if _, err := l.Wait(ctx); err == nil {
		t.Fatal("wait outlived its context")
	}
}

// TestLimiterGivesBackASlotOfAWaitCutShort: a request waits for the
// window after it booked its place in the second (HubSpot's per-second
// limit); its context ends meanwhile, and it is never sent. Its place in
// the second stayed booked, so the next request found the second full,
// one request short of what the CRM allows. It is given back now.
func TestLimiterGivesBackASlotOfAWaitCutShort(t *testing.T) {
	l, _ := newTestLimiter(1, 10*time.Second)
	l.AdoptSecondly(2, -1)
	if _, err := l.Wait(context.Background()); err != nil { // the window is full now, the second half
		t.Fatal(err)
	}
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.Wait(ended); err == nil {
		t.Fatal("a wait on an ended context booked a request")
	}
	l.Adopt(10, 10*time.Second) // the CRM's window is larger: room in it again
	if w, err := l.Wait(context.Background()); err != nil || w != 0 {
		t.Fatalf("waited %v (%v) for the second's other place: the request never sent still holds it", w, err)
	}
	if w, _ := l.Wait(context.Background()); w == 0 {
		t.Fatal("a third request in the second was not held back")
	}
}

// waitLog is a WaitObserver keeping what it is told.
type waitLog struct {
	mu    sync.Mutex
	waits []string
}

func (w *waitLog) CRMRequest(string, string, int, time.Duration) {}
func (w *waitLog) RateLimitWait(string, time.Duration)           {}
func (w *waitLog) RateLimitWaiting(crm, op string, d time.Duration, budget string, limit int, interval time.Duration, _ bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if d <= 0 || d > interval+interval/100 {
		w.waits = append(w.waits, fmt.Sprintf("bad wait %v for %d per %v", d, limit, interval))
		return
	}
	w.waits = append(w.waits, fmt.Sprintf("%s %s %q %d per %v", crm, op, budget, limit, interval))
}

// TestWaitObserverIsToldBeforeTheLimiterWaits: a WaitObserver is told,
// before the limiter holds a call back, which limit holds it: the general
// one (budget "") or the further budget the call spends, so that crm
// setup can say why it is silent.
func TestWaitObserverIsToldBeforeTheLimiterWaits(t *testing.T) {
	srv, _ := script(t)
	obs := &waitLog{}
	c := NewHTTPClient(Options{Name: "test", RateLimit: 1, RateInterval: 100 * time.Millisecond, Observer: obs,
		Budgets: map[string]Budget{"search": {Limit: 1, Interval: 300 * time.Millisecond}}})
	for _, call := range []Call{
		{Op: "read", Method: http.MethodGet, URL: srv.URL}, {Op: "read", Method: http.MethodGet, URL: srv.URL},
		{Op: "find", Method: http.MethodGet, URL: srv.URL, Budget: "search"}, {Op: "find", Method: http.MethodGet, URL: srv.URL, Budget: "search"},
	} {
		if _, err := c.Do(context.Background(), call); err != nil {
			t.Fatal(err)
		}
	}
	obs.mu.Lock()
	defer obs.mu.Unlock()
	want := []string{`test read "" 1 per 100ms`, `test find "search" 1 per 300ms`}
	if len(obs.waits) < 2 || obs.waits[0] != want[0] || !slices.Contains(obs.waits, want[1]) {
		t.Fatalf("told %q; want %q among them, the first first", obs.waits, want)
	}
}

// TestLimiterTellsTheCRMsPauseFromItsOwnLimit: a request held back after
// the CRM's 429 (Pause) was said to wait for the configured limit ("the
// rate limit allows 100 requests to hubspot per 10s (crm.hubspot.requests
// …)"), and an operator lowered crm.hubspot.requests for nothing. The
// waiting callback now tells the two apart.
func TestLimiterTellsTheCRMsPauseFromItsOwnLimit(t *testing.T) {
	l := NewLimiter(2, 300*time.Millisecond, nil)
	var paused []bool
	ctx := withWaiting(context.Background(), func(_ time.Duration, _ string, _ int, _ time.Duration, crmPaused bool) {
		paused = append(paused, crmPaused)
	})
	l.Pause(200 * time.Millisecond) // the CRM's Retry-After
	if _, err := l.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the window full of this client's own requests: its own limit holds the third back
		if _, err := l.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(paused) != 2 || !paused[0] || paused[1] {
		t.Errorf("waits told as the CRM's pause: %v, want [true false]", paused)
	}
}
