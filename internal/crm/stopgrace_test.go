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

// slowCRM answers each POST after delay with a new record's id, counting
// the requests it took; a zero delay never answers (until the test ends).
func slowCRM(t *testing.T, delay time.Duration) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if delay == 0 {
			select {
			case <-done:
			case <-r.Context().Done():
			}
			return
		}
		time.Sleep(delay)
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"id":"4711"}`))
	}))
	t.Cleanup(func() { close(done); srv.Close() })
	return srv, &n
}

// TestAStopLetsTheCallUnderWayAnswer: syncd stopping (the run's context
// ended) while a create was on its way cut the call, and the CRM's answer
// (the new record's id) was lost: the record's next write had to find it
// again, or wait in doubt. The call now gets its answer, and is not
// resent.
func TestAStopLetsTheCallUnderWayAnswer(t *testing.T) {
	srv, n := slowCRM(t, 300*time.Millisecond)
	c := NewHTTPClient(Options{Name: "test", Timeout: 5 * time.Second, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond})
	ctx, stop := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, stop)
	resp, err := c.Do(ctx, Call{Op: "contact_create", Method: http.MethodPost, URL: srv.URL, Body: map[string]any{}})
	if err != nil {
		t.Fatalf("a create answered 250 ms after the stop: %v; want its answer", err)
	}
	if resp.Status != http.StatusCreated || string(resp.Body) != `{"id":"4711"}` {
		t.Fatalf("answer %d %s", resp.Status, resp.Body)
	}
	if got := n.Load(); got != 1 {
		t.Fatalf("%d requests; want the one", got)
	}
	// Stopped before it went out, a call is not sent at all.
	if _, err := c.Do(ctx, Call{Op: "contact_create", Method: http.MethodPost, URL: srv.URL, Body: map[string]any{}}); crmCode(err) != "CANCELED" {
		t.Fatalf("a call after the stop: %v; want CANCELED", err)
	}
	if got := n.Load(); got != 1 {
		t.Fatalf("%d requests after a call made once stopped; want it unsent", got)
	}
}

// TestAStopWaitsForACallOnlySoLong: a CRM that does not answer holds a
// stop for StopGrace, not for the call's whole timeout.
func TestAStopWaitsForACallOnlySoLong(t *testing.T) {
	srv, _ := slowCRM(t, 0)
	c := NewHTTPClient(Options{Name: "test", Timeout: time.Minute, StopGrace: 200 * time.Millisecond, RetryMax: -1})
	ctx, stop := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, stop)
	began := time.Now()
	_, err := c.Do(ctx, Call{Op: "contact_create", Method: http.MethodPost, URL: srv.URL, Body: map[string]any{}})
	if took := time.Since(began); took > 20*time.Second {
		t.Fatalf("the stop waited %v for a CRM that does not answer; want about StopGrace", took)
	}
	if code := crmCode(err); code != "CANCELED" {
		t.Fatalf("err %v (code %q); want CANCELED", err, code)
	}
}

// crmCode is err's CRMError code, or "".
func crmCode(err error) string {
	var ce *syncd.CRMError
	if errors.As(err, &ce) {
		return ce.Code
	}
	return ""
}

// TestAStopCutsAReadAtOnce: a read's answer is of no use once stopped;
// Ctrl-C on a check of a CRM that does not answer does not wait for it.
func TestAStopCutsAReadAtOnce(t *testing.T) {
	srv, _ := slowCRM(t, 0)
	c := NewHTTPClient(Options{Name: "test", Timeout: time.Minute, StopGrace: time.Minute, RetryMax: -1})
	ctx, stop := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, stop)
	began := time.Now()
	_, err := c.Do(ctx, Call{Op: "account_read", Method: http.MethodGet, URL: srv.URL})
	if took := time.Since(began); took > 20*time.Second {
		t.Fatalf("a read waited %v after the stop; want it cut at once", took)
	}
	if code := crmCode(err); code != "CANCELED" {
		t.Fatalf("err %v (code %q); want CANCELED", err, code)
	}
}
