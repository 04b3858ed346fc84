package crm

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

type countingObserver struct {
	mu       sync.Mutex
	requests map[int]int
	waits    int
}

func (o *countingObserver) CRMRequest(_, _ string, status int, _ time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.requests == nil {
		o.requests = map[int]int{}
	}
	o.requests[status]++
}

func (o *countingObserver) RateLimitWait(string, time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.waits++
}

// script answers the given statuses in turn, then 200.
func script(t *testing.T, statuses ...int) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i < len(statuses) {
			if statuses[i] == -1 { // drop the connection
				c, _, _ := http.NewResponseController(w).Hijack()
				_ = c.Close()
				return
			}
			if statuses[i] == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "0")
			}
			w.WriteHeader(statuses[i])
			_, _ = w.Write([]byte(`{"message":"no"}`))
			return
		}
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func testClient(obs Observer) *Client {
	return NewHTTPClient(Options{Name: "test", RetryMax: 4, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
		Timeout: time.Second, Observer: obs, RetryAfterCap: time.Second})
}

func TestDoResendsOnlyWhatIsSafe(t *testing.T) {
	cases := []struct {
		name     string
		method   string
		safe     bool
		statuses []int
		attempts int32
		status   int // final status; 0 for a network error
	}{
		{"unsafe POST not resent after 503", http.MethodPost, false, []int{503}, 1, 503},
		{"unsafe POST not resent after a drop", http.MethodPost, false, []int{-1}, 1, 0},
		{"unsafe POST resent after 429", http.MethodPost, false, []int{429, 429}, 3, 200},
		{"safe POST resent after 502 and drop", http.MethodPost, true, []int{502, -1}, 3, 200},
		{"GET resent after 500s", http.MethodGet, false, []int{500, 503, 504}, 4, 200},
		{"PUT resent after a drop", http.MethodPut, false, []int{-1}, 2, 200},
		{"400 not resent", http.MethodPut, true, []int{400}, 1, 400},
		{"retries run out", http.MethodGet, false, []int{503, 503, 503, 503, 503, 503}, 5, 503},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, n := script(t, tc.statuses...)
			obs := &countingObserver{}
			resp, err := testClient(obs).Do(context.Background(), Call{Op: "op", Method: tc.method, URL: srv.URL, Body: map[string]int{"a": 1}, Safe: tc.safe})
			if got := n.Load(); got != tc.attempts {
				t.Fatalf("%d attempts, want %d", got, tc.attempts)
			}
			if tc.status == 0 {
				var ce *syncd.CRMError
				if !errors.As(err, &ce) || ce.Class != syncd.ErrRetry || ce.Status != 0 {
					t.Fatalf("err %v", err)
				}
			} else if err != nil || resp.Status != tc.status {
				t.Fatalf("resp %+v err %v", resp, err)
			}
			total := 0
			for _, c := range obs.requests {
				total += c
			}
			if int32(total) != tc.attempts {
				t.Fatalf("observer saw %d attempts", total)
			}
		})
	}
}

func TestRetryAfterPastCapGivesUp(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	resp, err := testClient(nil).Do(context.Background(), Call{Op: "op", Method: http.MethodGet, URL: srv.URL})
	if err != nil || resp.Status != 429 || n.Load() != 1 {
		t.Fatalf("resp %+v err %v attempts %d", resp, err, n.Load())
	}
	e := Classify(resp.Status, resp.Header, "", "", false, 0, time.Now())
	if e.Class != syncd.ErrRetry || e.RetryAfter != 2*time.Minute {
		t.Fatalf("classified %+v", e)
	}
}

func TestRetryAfterWithinCapIsHonoured(t *testing.T) {
	var first time.Time
	var gap time.Duration
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		gap = time.Since(first)
	}))
	defer srv.Close()
	c := NewHTTPClient(Options{RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Second, RetryAfterCap: 2 * time.Second})
	resp, err := c.Do(context.Background(), Call{Op: "op", Method: http.MethodPost, URL: srv.URL})
	if err != nil || resp.Status != 200 || n.Load() != 2 {
		t.Fatalf("resp %+v err %v", resp, err)
	}
	if gap < 900*time.Millisecond {
		t.Fatalf("resent after %v, before Retry-After", gap)
	}
}

func TestTimeoutIsRetryableNetworkError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}))
	defer srv.Close()
	c := NewHTTPClient(Options{Timeout: 50 * time.Millisecond, RetryMax: -1})
	_, err := c.Do(context.Background(), Call{Op: "op", Method: http.MethodPost, URL: srv.URL})
	var ce *syncd.CRMError
	if !errors.As(err, &ce) || ce.Class != syncd.ErrRetry || ce.Code != "NETWORK" {
		t.Fatalf("err %v", err)
	}
}

func TestTransportFollowsRateHeaders(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Another client has spent the window: nothing remains.
		w.Header().Set("X-HubSpot-RateLimit-Max", "3")
		w.Header().Set("X-HubSpot-RateLimit-Remaining", "0")
	}))
	defer srv.Close()
	obs := &countingObserver{}
	c := NewHTTPClient(Options{RateLimit: 100, RateInterval: 200 * time.Millisecond, Observer: obs})
	start := time.Now()
	for range 2 {
		if _, err := c.Do(context.Background(), Call{Op: "op", Method: http.MethodGet, URL: srv.URL}); err != nil {
			t.Fatal(err)
		}
	}
	if time.Since(start) < 150*time.Millisecond || obs.waits != 1 {
		t.Fatalf("second request not held back: %v, %d waits", time.Since(start), obs.waits)
	}
}

func TestNetworkErrorOmitsURL(t *testing.T) {
	srv, _ := script(t, -1)
	_, err := testClient(nil).Do(context.Background(), Call{Op: "persons_search", Method: http.MethodPost, URL: srv.URL + "/search?term=jane@example.com"})
	if err == nil || strings.Contains(err.Error(), "jane") || !strings.Contains(err.Error(), "persons_search") {
		t.Fatalf("err %v", err)
	}
}

// TestCallJSONSentAsIs: a body given already encoded is sent byte for byte,
// on every attempt, as JSON; Body is encoded with encoding/json.
func TestCallJSONSentAsIs(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Header.Get("Content-Type")+" "+string(b))
		n := len(got)
		mu.Unlock()
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable) // resent
		}
	}))
	t.Cleanup(srv.Close)
	c := testClient(nil)
	raw := []byte(`{"b":1, "a":"<&>"}`)
	if _, err := c.Do(context.Background(), Call{Op: "op", Method: http.MethodPost, URL: srv.URL, JSON: raw, Safe: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(context.Background(), Call{Op: "op", Method: http.MethodPost, URL: srv.URL, Body: map[string]int{"b": 1, "a": 2}}); err != nil {
		t.Fatal(err)
	}
	want := []string{"application/json " + string(raw), "application/json " + string(raw), `application/json {"a":2,"b":1}`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("sent\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
