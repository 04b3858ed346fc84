package crm

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
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
// The connection used to be made unwritable by shutting its write side,
// upon which the CRM closed it, and net/http saw that close as often as
// not before it tried to write: "server closed idle connection", a path
// TestCreateClosedBeforeItWentOutIsResent now takes on purpose. The write
// fails here with the CRM's side left open, so this test takes the
// other path every time.
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
	tr, dialed := watchedTransport(2 * time.Second)
	c := NewHTTPClient(Options{Name: "test", Timeout: 2 * time.Second, RetryMax: -1, Transport: tr})
	create := func(ctx context.Context, path string) (*Response, error) {
		return c.Do(ctx, Call{Op: "persons_add", Method: http.MethodPost, URL: srv.URL + path, Body: map[string]string{"name": "x"}})
	}
	if _, err := create(context.Background(), "/"); err != nil { // leaves an idle connection
		t.Fatal(err)
	}

	// The idle connection taken from the pool can write nothing, as a
	// socket whose peer is gone: its first write fails, writing no byte.
	ctx, broke := onConn(t, func(c *watchedConn, reused bool) {
		if !reused {
			t.Error("the second create did not take the idle connection")
		}
		c.failNext.Store(true)
	})
	resp, err := create(ctx, "/")
	if !broke.Load() {
		t.Fatal("the second create got no connection")
	}
	if err != nil || resp.Status != 200 || creates.Load() != 2 || dialed.Load() != 2 {
		t.Fatalf("nothing written: resp %+v, err %v, %d creates reached the CRM, %d connections dialed; want the answer to the resend over a new connection, 2 creates",
			resp, err, creates.Load(), dialed.Load())
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
