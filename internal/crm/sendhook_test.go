package crm

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestSlowSendHookCountsAgainstTimeout: a request stamped at t must be on
// the wire by t+timeout, since guards reckon so. An intent whose write
// outlasts the timeout (a loaded disk) stops the attempt unsent, and the
// one resend allowed is stamped again.
func TestSlowSendHookCountsAgainstTimeout(t *testing.T) {
	var arrived atomic.Int32
	var stamped atomic.Int64 // latest stamp, unix nanoseconds
	var late atomic.Int64    // how far past its stamp+timeout a request arrived
	const timeout = 200 * time.Millisecond
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived.Add(1)
		if d := time.Since(time.Unix(0, stamped.Load())) - timeout; d > 0 {
			late.Store(int64(d))
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	c := NewHTTPClient(Options{Name: "test", RetryMax: 1, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond, Timeout: timeout})
	var hooks atomic.Int32
	ctx := WithSendHook(context.Background(), func(sent time.Time) error {
		stamped.Store(sent.UnixNano())
		hooks.Add(1)
		time.Sleep(timeout + 100*time.Millisecond) // the intent's write
		return nil
	})
	_, err := c.Do(ctx, Call{Op: "persons_create", Method: http.MethodPost, URL: srv.URL, Body: map[string]string{"name": "x"}})
	if err == nil {
		t.Fatal("a request whose intent took the whole timeout was answered")
	}
	if n := arrived.Load(); n != 0 {
		t.Fatalf("%d requests reached the CRM up to %v after their stamp plus the timeout", n, time.Duration(late.Load()))
	}
	if n := hooks.Load(); n != 2 {
		t.Fatalf("send hook ran %d times; want 2 (the first attempt and its one resend)", n)
	}
}

// TestCreateStoppedUnsentGivesItsBudgetBack: a create whose intent could
// not be recorded (the database's disk full) is stopped before the wire;
// its place in the rate window stayed taken for the window's whole
// interval though the CRM counted nothing, and the next call waited for
// it. It is given back now.
func TestCreateStoppedUnsentGivesItsBudgetBack(t *testing.T) {
	var arrived atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived.Add(1)
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c := NewHTTPClient(Options{Name: "test", RetryMax: -1, RateLimit: 1, RateInterval: 5 * time.Second})
	stopped := WithSendHook(context.Background(), func(time.Time) error { return errors.New("record intent: disk full") })
	if _, err := c.Do(stopped, Call{Op: "persons_create", Method: http.MethodPost, URL: srv.URL, Body: map[string]string{"name": "x"}}); err == nil {
		t.Fatal("a create whose intent was not recorded was sent")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2500*time.Millisecond) // half the window
	defer cancel()
	if _, err := c.Do(ctx, Call{Op: "persons_get", Method: http.MethodGet, URL: srv.URL}); err != nil {
		t.Fatalf("the next call: %v; the create never sent still holds the rate window", err)
	}
	if n := arrived.Load(); n != 1 {
		t.Fatalf("%d requests reached the CRM, want 1", n)
	}
}
