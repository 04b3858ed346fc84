package crm

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// watchedConn is a client connection that tells when it is closed, and
// can be made to fail its next write without writing a byte, as a socket
// whose peer is gone does.
type watchedConn struct {
	net.Conn
	closed   chan struct{}
	once     sync.Once
	failNext atomic.Bool
}

func (c *watchedConn) Write(p []byte) (int, error) {
	if c.failNext.Swap(false) {
		return 0, &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.EPIPE)}
	}
	return c.Conn.Write(p)
}

func (c *watchedConn) Close() error {
	c.once.Do(func() { close(c.closed) })
	return c.Conn.Close()
}

// waitClosed fails the test unless the client closed c within 5 s.
func (c *watchedConn) waitClosed(t *testing.T) {
	select {
	case <-c.closed:
	case <-time.After(5 * time.Second):
		t.Error("the client did not notice its connection closed within 5 s")
	}
}

// watchedTransport is the production transport dialing watchedConns, and
// how many it dialed.
func watchedTransport(timeout time.Duration) (*http.Transport, *atomic.Int32) {
	tr := defaultTransport(timeout)
	var dialed atomic.Int32
	var d net.Dialer
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		dialed.Add(1)
		return &watchedConn{Conn: c, closed: make(chan struct{})}, nil
	}
	return tr, &dialed
}

// onConn returns ctx whose request runs f, once, on the connection it
// gets, before it writes anything to it.
func onConn(t *testing.T, f func(c *watchedConn, reused bool)) (context.Context, *atomic.Bool) {
	var ran atomic.Bool
	return httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		if c, ok := info.Conn.(*watchedConn); ok && !ran.Swap(true) {
			f(c, info.Reused)
		}
	}}), &ran
}

// countingCRM is a CRM over HTTP/1 counting the requests that reached
// it by path. "/" answers; "/headers" closes the connection once it has
// the headers, the body unread; "/body" once it read the body too.
type countingCRM struct {
	srv    *httptest.Server
	mu     sync.Mutex
	counts map[string]int
	idle   map[net.Conn]bool
}

// newCountingCRM starts a countingCRM on ln, or on a listener of its own
// when ln is nil.
func newCountingCRM(t *testing.T, ln net.Listener) *countingCRM {
	crm := &countingCRM{counts: map[string]int{}, idle: map[net.Conn]bool{}}
	crm.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/headers" {
			_, _ = io.ReadAll(r.Body)
		}
		crm.mu.Lock()
		crm.counts[r.URL.Path]++
		crm.mu.Unlock()
		if r.URL.Path != "/" {
			if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = c.Close()
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"51"}`))
	}))
	crm.srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		crm.mu.Lock()
		defer crm.mu.Unlock()
		crm.idle[c] = s == http.StateIdle
	}
	if ln != nil {
		crm.srv.Listener.Close()
		crm.srv.Listener = ln
	}
	crm.srv.Start()
	t.Cleanup(crm.srv.Close)
	return crm
}

// got is how many requests to path reached the CRM.
func (crm *countingCRM) got(path string) int {
	crm.mu.Lock()
	defer crm.mu.Unlock()
	return crm.counts[path]
}

// closeIdle closes, from the CRM's side, every connection idle now, and
// says how many.
func (crm *countingCRM) closeIdle() int {
	crm.mu.Lock()
	defer crm.mu.Unlock()
	n := 0
	for c, idle := range crm.idle {
		if idle {
			_ = c.Close()
			crm.idle[c] = false
			n++
		}
	}
	return n
}

// waitIdle fails the test unless the CRM holds a connection idle within 5 s.
func (crm *countingCRM) waitIdle(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		crm.mu.Lock()
		n := 0
		for _, idle := range crm.idle {
			if idle {
				n++
			}
		}
		crm.mu.Unlock()
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the CRM did not hold a connection idle within 5 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// closeFirst is a listener that closes the first connection it accepts
// at once, as a CRM or a proxy shedding load.
type closeFirst struct {
	net.Listener
	done atomic.Bool
}

func (l *closeFirst) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil || l.done.Swap(true) {
			return c, err
		}
		_ = c.Close()
	}
}

// createAt returns a function making a create (a POST not safe to
// resend, unless safe) to path on crm with c.
func createAt(c *Client, crm *countingCRM, safe bool) func(ctx context.Context, path string) (*Response, error) {
	return func(ctx context.Context, path string) (*Response, error) {
		return c.Do(ctx, Call{Op: "persons_add", Method: http.MethodPost, URL: crm.srv.URL + path, Body: map[string]string{"name": "x"}, Safe: safe})
	}
}

// TestCreateClosedBeforeItWentOutIsResent: a CRM (or a proxy) closing an
// idle keep-alive connection just as the client took it for a create:
// net/http saw the connection closed before it wrote a byte of the
// request, and returned "http: server closed idle connection", which it
// resends on its own only for a read. The create failed as a whole
// ("persons_add: Post: http: server closed idle connection") and the
// syncer cooled down, though the CRM never saw it. It is now sent again
// at once on a new connection, and reaches the CRM once. A fresh
// connection closed so (a CRM shedding load) is left to the retry
// policy, which resends it after its wait, and when none is left the
// error says the request did not get through (Unreached).
func TestCreateClosedBeforeItWentOutIsResent(t *testing.T) {
	t.Run("idle connection", func(t *testing.T) {
		t.Parallel()
		tr, dialed := watchedTransport(2 * time.Second)
		crm := newCountingCRM(t, nil)
		create := createAt(NewHTTPClient(Options{Name: "test", Timeout: 2 * time.Second, RetryMax: -1, Transport: tr}), crm, false)
		if _, err := create(context.Background(), "/"); err != nil {
			t.Fatal(err)
		}
		crm.waitIdle(t)
		// The CRM closes the pooled connection as the create takes it,
		// and the client notices before it writes anything.
		ctx, ran := onConn(t, func(c *watchedConn, reused bool) {
			if !reused {
				t.Error("the create did not take the idle connection")
			}
			if crm.closeIdle() != 1 {
				t.Error("the CRM held no connection idle")
			}
			c.waitClosed(t)
		})
		resp, err := create(ctx, "/")
		if !ran.Load() {
			t.Fatal("the create got no connection")
		}
		if err != nil || resp.Status != 200 || crm.got("/") != 2 || dialed.Load() != 2 {
			t.Fatalf("closed before anything went out: resp %+v, err %v, %d creates reached the CRM, %d connections dialed; want the answer over a new connection, 2 creates, 2 connections",
				resp, err, crm.got("/"), dialed.Load())
		}
	})
	t.Run("fresh connection", func(t *testing.T) {
		t.Parallel()
		for _, retries := range []int{-1, 1} {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			tr, _ := watchedTransport(2 * time.Second)
			crm := newCountingCRM(t, &closeFirst{Listener: ln})
			create := createAt(NewHTTPClient(Options{Name: "test", Timeout: 2 * time.Second, RetryMax: retries,
				RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond, Transport: tr}), crm, false)
			ctx, _ := onConn(t, func(c *watchedConn, _ bool) { c.waitClosed(t) })
			resp, err := create(ctx, "/")
			if retries > 0 {
				if err != nil || resp.Status != 200 || crm.got("/") != 1 {
					t.Fatalf("a resend left: resp %+v, err %v, %d creates reached the CRM; want the answer to the resend, 1 create", resp, err, crm.got("/"))
				}
				continue
			}
			var ce *syncd.CRMError
			if !errors.As(err, &ce) || ce.Code != syncd.CodeNetwork || !ce.Unreached || crm.got("/") != 0 {
				t.Fatalf("no resend left: err %#v, %d creates reached the CRM; want a network error, unreached, none", err, crm.got("/"))
			}
		}
	})
}

// TestCreateClosedAfterItWentOutIsNotResent: the other side of
// TestCreateClosedBeforeItWentOutIsResent. A pooled connection the CRM
// closes once it has a create's headers, or its whole body, without an
// answer: the CRM may have carried it out, and a create is not sent
// again (a second contact); a call safe to resend is.
func TestCreateClosedAfterItWentOutIsNotResent(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"/headers", "/body"} {
		for _, safe := range []bool{false, true} {
			tr, _ := watchedTransport(2 * time.Second)
			crm := newCountingCRM(t, nil)
			create := createAt(NewHTTPClient(Options{Name: "test", Timeout: 2 * time.Second, RetryMax: 1,
				RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond, Transport: tr}), crm, safe)
			if _, err := create(context.Background(), "/"); err != nil {
				t.Fatal(err)
			}
			crm.waitIdle(t)
			ctx, _ := onConn(t, func(_ *watchedConn, reused bool) {
				if !reused {
					t.Error("the call did not take the idle connection")
				}
			})
			_, err := create(ctx, path)
			want := 1
			if safe {
				want = 2
			}
			var ce *syncd.CRMError
			if !errors.As(err, &ce) || ce.Code != syncd.CodeNetwork || ce.Unreached || crm.got(path) != want {
				t.Errorf("%s, safe %v: err %#v, reached the CRM %d times; want a network error, reached, %d times", path, safe, err, crm.got(path), want)
			}
		}
	}
}
