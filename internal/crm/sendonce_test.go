package crm

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestHTTP1ResendsACreateOnlyWhenNothingWentOut: over HTTP/1, net/http
// sends a create again on a fresh connection only when it wrote none of
// it to the connection it took from the pool (one the CRM closed while
// idle): the CRM never saw it, and the resend must not be refused as one
// that "went out". It is not: the body sendOnce wraps is not one net/http
// knows to be in memory, so it writes the headers to the connection before
// it reads the body; a connection that can write nothing fails at the
// headers, the body unread, and sendOnce lets the resend go. A create the
// CRM read whole and answered nothing to still reaches it once.
func TestHTTP1ResendsACreateOnlyWhenNothingWentOut(t *testing.T) {
	var creates atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		creates.Add(1)
		if r.URL.Path == "/hangup" {
			// read whole, then the connection ends without an answer
			c, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				c.Close()
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"51"}`))
	}))
	t.Cleanup(srv.Close)
	c := NewHTTPClient(Options{Name: "test", Timeout: 2 * time.Second, RetryMax: -1})
	create := func(ctx context.Context, path string) (*Response, error) {
		return c.Do(ctx, Call{Op: "persons_add", Method: http.MethodPost, URL: srv.URL + path, Body: map[string]string{"name": "x"}})
	}
	if _, err := create(context.Background(), "/"); err != nil { // leaves an idle connection
		t.Fatal(err)
	}

	// The idle connection taken from the pool can write nothing: its
	// write side shut, as a connection the CRM closed meanwhile.
	var broke atomic.Bool
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		if tc, ok := info.Conn.(*net.TCPConn); ok && info.Reused && !broke.Swap(true) {
			_ = tc.CloseWrite()
		}
	}})
	resp, err := create(ctx, "/")
	if !broke.Load() {
		t.Fatal("the second create did not take the idle connection")
	}
	if err != nil || resp.Status != 200 || creates.Load() != 2 {
		t.Fatalf("nothing written: resp %+v, err %v, %d creates reached the CRM; want the answer to the resend, 2 creates", resp, err, creates.Load())
	}

	creates.Store(0)
	_, err = create(context.Background(), "/hangup")
	var ce *syncd.CRMError
	if !errors.As(err, &ce) || ce.Code != syncd.CodeNetwork || ce.Unreached {
		t.Fatalf("read whole, no answer: err %#v; want a network error, reached", err)
	}
	if n := creates.Load(); n != 1 {
		t.Errorf("read whole, no answer: the create reached the CRM %d times; want once", n)
	}
}
