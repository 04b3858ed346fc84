package crm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestUnreachedSaysNoRequestGotThrough: a call that got no answer told
// nothing of whether its request reached the CRM, so the syncer took a
// refused connection or a certificate it does not trust for what a batch
// too large for the CRM may cause (a timeout), and ran its stuck-batch
// probe at every try of an outage. CRMError.Unreached says so: set when
// no attempt got its request out (refused, TLS), not when one did and the
// answer never came (dropped, timed out).
func TestUnreachedSaysNoRequestGotThrough(t *testing.T) {
	refused := refusingURL(t)
	untrusted := httptest.NewTLSServer(http.NotFoundHandler())
	defer untrusted.Close()
	dropped, _ := script(t, -1)
	hangs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// net/http cancels r.Context() at the client's hang-up only once
		// the request's body was read: unread, the handler waited out its
		// 2 s, and Close with it.
		_, _ = io.ReadAll(r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}))
	defer hangs.Close()
	cases := []struct {
		name, url string
		unreached bool
	}{
		{"connection refused", refused, true},
		{"certificate not trusted", untrusted.URL, true},
		{"dropped after the request", dropped.URL, false},
		{"no answer in time", hangs.URL, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := NewHTTPClient(Options{Name: "test", RetryMax: 1, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond,
				Timeout: 200 * time.Millisecond})
			_, err := c.Do(context.Background(), Call{Op: "contacts_upsert", Method: http.MethodPost, URL: tc.url, Body: map[string]int{"a": 1}})
			var ce *syncd.CRMError
			if !errors.As(err, &ce) || ce.Code != syncd.CodeNetwork || ce.Unreached != tc.unreached {
				t.Fatalf("err %#v; want a network error, Unreached %v", err, tc.unreached)
			}
		})
	}
}

// refusingURL is the URL of a loopback port bound by a socket that does
// not listen, for the test's life: a connection to it is refused at once.
// A port freed by closing a server could be taken meanwhile by a listener
// of a test running beside this one, where the connection then waited for
// an answer and the call ran out of time (seen once under -race).
func refusingURL(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("http://127.0.0.1:%d", sa.(*syscall.SockaddrInet4).Port)
}

// TestSendOnceResendsNothing: under SendOnce a call is sent once, its
// answer (a 503 here) returned as it is: the stuck-batch probe asks
// whether the CRM answers now, and resending its reads three times each
// made it twelve requests into an outage at every try.
func TestSendOnceResendsNothing(t *testing.T) {
	srv, n := script(t, 503, 503)
	resp, err := testClient(nil).Do(SendOnce(context.Background()), Call{Op: "properties", Method: http.MethodGet, URL: srv.URL})
	if err != nil || resp.Status != 503 || n.Load() != 1 {
		t.Fatalf("resp %+v, err %v after %d requests; want the first 503, sent once", resp, err, n.Load())
	}
	if resp, err := testClient(nil).Do(context.Background(), Call{Op: "properties", Method: http.MethodGet, URL: srv.URL}); err != nil || resp.Status != 200 {
		t.Fatalf("without SendOnce: resp %+v, err %v; want the 200 after a resend", resp, err)
	}
}
