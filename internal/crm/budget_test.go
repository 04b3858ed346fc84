package crm

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestWaitForBudgetIsNotPartOfTimeout: the second request waits about
// 400 ms for the rate window, longer than the 250 ms timeout, and must
// still get its 100 ms answer.
func TestWaitForBudgetIsNotPartOfTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(100 * time.Millisecond)
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	c := NewHTTPClient(Options{Timeout: 250 * time.Millisecond, RetryMax: -1, RateLimit: 1, RateInterval: 400 * time.Millisecond})
	for i := range 2 {
		resp, err := c.Do(context.Background(), Call{Op: "op", Method: http.MethodPost, URL: srv.URL})
		if err != nil || resp.Status != http.StatusOK || string(resp.Body) != `{"ok":true}` {
			t.Fatalf("request %d: %v", i, err)
		}
	}
}

// TestTimeoutStillBoundsAnAttempt: the deadline moved, it did not go.
func TestTimeoutStillBoundsAnAttempt(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		select { // headers sent, body never ends
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}))
	defer srv.Close()
	c := NewHTTPClient(Options{Timeout: 100 * time.Millisecond, RetryMax: -1, RateLimit: 10})
	_, err := c.Do(context.Background(), Call{Op: "op", Method: http.MethodGet, URL: srv.URL})
	var ce *syncd.CRMError
	if !errors.As(err, &ce) || ce.Class != syncd.ErrRetry || ce.Code != "NETWORK" {
		t.Fatalf("err %v", err)
	}
}

// TestTransportAdoptsHubSpotWindow: Max 10 per Interval 1000 ms is 10 a
// second, not 10 per the configured 10 s.
func TestTransportAdoptsHubSpotWindow(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-HubSpot-RateLimit-Max", "10")
		w.Header().Set("X-HubSpot-RateLimit-Remaining", "9")
		w.Header().Set("X-HubSpot-RateLimit-Interval-Milliseconds", "1000")
	}))
	defer srv.Close()
	c := NewHTTPClient(Options{RateLimit: 100, RateInterval: 10 * time.Second})
	if _, err := c.Do(context.Background(), Call{Op: "op", Method: http.MethodGet, URL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	if n, d := c.Limiter().Window(); n != 10 || d != time.Second {
		t.Fatalf("window %d per %v, want 10 per 1s", n, d)
	}
}

// TestLimiterAdoptedWindowPaces: after adopting 10 per second, 30 requests
// take about 2 s of (fake) time, not 20 s.
func TestLimiterAdoptedWindowPaces(t *testing.T) {
	l, c := newTestLimiter(100, 10*time.Second)
	l.Adopt(10, time.Second)
	start := c.t
	for range 30 {
		if _, err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if d := c.t.Sub(start); d < 2*time.Second || d > 2100*time.Millisecond {
		t.Fatalf("30 requests at 10/s took %v of fake time", d)
	}
}

// TestDailyLimitInBodyOnlyIsNotResent: HubSpot may say DAILY only in the
// body; resending cannot help until the day ends.
func TestDailyLimitInBodyOnlyIsNotResent(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","policyName":"DAILY"}`))
	}))
	defer srv.Close()
	resp, err := testClient(nil).Do(context.Background(), Call{Op: "op", Method: http.MethodPost, URL: srv.URL})
	if err != nil || resp.Status != http.StatusTooManyRequests || len(resp.Body) == 0 {
		t.Fatalf("resp %+v err %v", resp, err)
	}
	if got := n.Load(); got != 1 {
		t.Fatalf("%d attempts, want 1", got)
	}
}

// TestLimiterSecondlyWindow: 190 per 10 s with 19 per second spreads 190
// requests over about 9 s, no second holding more than 19.
func TestLimiterSecondlyWindow(t *testing.T) {
	l, c := newTestLimiter(190, 10*time.Second)
	l.AdoptSecondly(19, -1)
	var sent []time.Time
	for range 190 {
		if _, err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		sent = append(sent, c.t)
	}
	for i := range sent {
		n := 0
		for j := i; j < len(sent) && sent[j].Sub(sent[i]) < time.Second; j++ {
			n++
		}
		if n > 19 {
			t.Fatalf("%d requests within a second from request %d", n, i)
		}
	}
	if d := sent[len(sent)-1].Sub(sent[0]); d < 9*time.Second {
		t.Fatalf("190 requests in %v", d)
	}
}

// TestTransportAdoptsHubSpotSecondly: the Secondly header adds the second
// window.
func TestTransportAdoptsHubSpotSecondly(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-HubSpot-RateLimit-Secondly", "19")
	}))
	defer srv.Close()
	c := NewHTTPClient(Options{RateLimit: 190})
	if _, err := c.Do(context.Background(), Call{Op: "op", Method: http.MethodGet, URL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	if n, d := c.Limiter().burst.Window(); n != 19 || d != time.Second {
		t.Fatalf("second window %d per %v", n, d)
	}
}

// TestSecondly429DoesNotStallTheWindow: a 429 of the per-second limit,
// whose headers say the 10-second window has room, books the second
// window full, not the 10-second one.
func TestSecondly429DoesNotStallTheWindow(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-HubSpot-RateLimit-Max", "100")
		h.Set("X-HubSpot-RateLimit-Remaining", "90")
		h.Set("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
		h.Set("X-HubSpot-RateLimit-Secondly", "10")
		h.Set("X-HubSpot-RateLimit-Secondly-Remaining", "0")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c := NewHTTPClient(Options{RateLimit: 100, RetryMax: -1})
	if _, err := c.Do(context.Background(), Call{Op: "op", Method: http.MethodGet, URL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	l := c.Limiter()
	l.mu.Lock()
	main := len(l.sent)
	l.mu.Unlock()
	l.burst.mu.Lock()
	burst := len(l.burst.sent)
	l.burst.mu.Unlock()
	if main != 10 || burst != 10 {
		t.Fatalf("booked %d in the 10 s window (want 10: 90 remain) and %d in the second (want 10)", main, burst)
	}
}

// TestSearchCutShortGivesItsBudgetBack: a search (a call with a budget of
// its own, Pipedrive's 10 per 2 s) booked its budget, then waited for the
// general window, and its context ended there: it was never sent, and its
// place in the search budget stayed taken for the budget's whole interval,
// so the next search waited for it though the CRM counted no search. It
// is given back now: the next search waits only for the general window.
func TestSearchCutShortGivesItsBudgetBack(t *testing.T) {
	var searches atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/search" {
			searches.Add(1)
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c := NewHTTPClient(Options{Name: "test", RetryMax: -1, RateLimit: 1, RateInterval: 300 * time.Millisecond,
		Budgets: map[string]Budget{"search": {Limit: 1, Interval: 5 * time.Second}}})
	search := Call{Op: "persons_search", Method: http.MethodGet, URL: srv.URL + "/search", Budget: "search"}
	if _, err := c.Do(context.Background(), Call{Op: "deals_list", Method: http.MethodGet, URL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Do(short, search); err == nil { // waits for the general window, which the list call fills
		t.Fatal("a search sent within a full general window")
	}
	if n := searches.Load(); n != 0 {
		t.Fatalf("%d searches reached the CRM, want none", n)
	}
	// The general window frees within 300 ms; the search budget, were the
	// search never sent still in it, 5 s after it was booked.
	ctx, cancel2 := context.WithTimeout(context.Background(), 2500*time.Millisecond)
	defer cancel2()
	if _, err := c.Do(ctx, search); err != nil {
		t.Fatalf("the next search: %v; the one never sent still holds the search budget", err)
	}
	if n := searches.Load(); n != 1 {
		t.Fatalf("%d searches reached the CRM, want 1", n)
	}
}
