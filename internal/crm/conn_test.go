package crm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// blackhole is a TCP proxy in front of a server whose connections can be
// made to swallow whatever either side sends, as a connection a firewall
// or NAT dropped without a word: the client's writes succeed and nothing
// ever comes back.
type blackhole struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []*holeConn
}

type holeConn struct {
	client, server net.Conn
	mu             sync.Mutex
	cut            bool // swallow everything
	closed         bool // the client closed it
}

func (c *holeConn) isCut() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cut
}

// newBlackhole proxies to upstream (host:port) until the test ends.
func newBlackhole(t *testing.T, upstream string) *blackhole {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &blackhole{ln: ln}
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", upstream)
			if err != nil {
				client.Close()
				continue
			}
			c := &holeConn{client: client, server: server}
			b.mu.Lock()
			b.conns = append(b.conns, c)
			b.mu.Unlock()
			go func() {
				c.pipe(server, client)
				c.mu.Lock()
				c.closed = true
				c.mu.Unlock()
			}()
			go c.pipe(client, server)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, c := range b.conns {
			c.client.Close()
			c.server.Close()
		}
	})
	return b
}

// pipe copies src to dst until src ends, dropping what it reads once cut.
func (c *holeConn) pipe(dst, src net.Conn) {
	defer dst.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if err != nil {
			return
		}
		if c.isCut() {
			continue
		}
		if _, err := dst.Write(buf[:n]); err != nil {
			return
		}
	}
}

// cutAll makes every connection open now a black hole.
func (b *blackhole) cutAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, c := range b.conns {
		c.mu.Lock()
		c.cut = true
		c.mu.Unlock()
	}
}

// counts returns how many connections the client opened, and how many of
// them are still open.
func (b *blackhole) counts() (opened, open int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, c := range b.conns {
		c.mu.Lock()
		if !c.closed {
			open++
		}
		c.mu.Unlock()
	}
	return len(b.conns), open
}

// waitOpen polls until at most want connections are open, failing the
// test after limit.
func (b *blackhole) waitOpen(t *testing.T, want int, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		opened, open := b.counts()
		if open <= want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of the %d connections opened still open after %v, want at most %d: the client keeps connections that answer nothing", open, opened, limit, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// h2Server is a CRM over TLS speaking HTTP/2, as HubSpot and Pipedrive
// do, and the production transport set to trust it.
// A request to /slow is answered after three quarters of timeout.
func h2Server(t *testing.T, timeout time.Duration) (*httptest.Server, *http.Transport) {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		if r.URL.Path == "/slow" {
			time.Sleep(timeout * 3 / 4)
		}
		_, _ = w.Write([]byte(`{"proto":"` + r.Proto + `"}`))
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	tr := defaultTransport(timeout)
	tr.TLSClientConfig = srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	return srv, tr
}

// TestDeadConnectionIsDroppedOverHTTP2: HubSpot and Pipedrive answer over
// HTTP/2, where every request rides one connection. Once that connection
// went dead without a word (a firewall or NAT dropping it, a load
// balancer node gone), every call was sent into it again and timed out,
// each one: the syncer took the CRM for down and cooled down, for as long
// as the kernel kept the connection (a quarter of an hour of
// retransmissions). The transport now checks a silent HTTP/2 connection
// with a ping and closes it when no answer comes, within the timeout, so
// the next call dials afresh. A CRM slow to answer keeps its connection.
func TestDeadConnectionIsDroppedOverHTTP2(t *testing.T) {
	const timeout = 1200 * time.Millisecond
	srv, tr := h2Server(t, timeout)
	hole := newBlackhole(t, srv.Listener.Addr().String())
	c := NewHTTPClient(Options{Name: "test", Timeout: timeout, RetryMax: -1, Transport: tr})
	url := "https://" + hole.ln.Addr().String() + "/crm/v3/objects/contacts/batch/upsert"
	call := Call{Op: "contacts_upsert", Method: http.MethodPost, URL: url, Body: map[string]int{"a": 1}}
	resp, err := c.Do(context.Background(), call)
	if err != nil || string(resp.Body) != `{"proto":"HTTP/2.0"}` {
		t.Fatalf("before the cut: %+v %v, want an answer over HTTP/2", resp, err)
	}
	slow := call
	slow.URL = "https://" + hole.ln.Addr().String() + "/slow"
	if resp, err := c.Do(context.Background(), slow); err != nil || resp.Status != 200 {
		t.Fatalf("a slow answer within the timeout: %+v %v, want it", resp, err)
	}
	if opened, open := hole.counts(); opened != 1 || open != 1 {
		t.Fatalf("a slow answer: %d connections opened, %d open; want the one kept", opened, open)
	}
	hole.cutAll()
	if _, err := c.Do(context.Background(), call); err == nil {
		t.Fatal("a call into the dead connection got an answer")
	} else {
		t.Logf("into the dead connection: %v", err)
	}
	hole.waitOpen(t, 0, 5*timeout)
	resp, err = c.Do(context.Background(), call)
	if err != nil || resp.Status != 200 {
		t.Fatalf("after the dead connection: %+v %v, want the answer over a new connection", resp, err)
	}
	if opened, _ := hole.counts(); opened != 2 {
		t.Fatalf("%d connections opened, want 2", opened)
	}
}

// TestDeadIdleConnectionsAreNotTakenInTurn: over HTTP/1 the client keeps
// a few idle connections to the CRM. Dropped without a word, they were
// taken one after the other, each attempt timing out in turn: a read the
// client resends got no answer from any attempt, though the CRM answered
// every new connection. An attempt that times out without an answer now
// closes the idle connections, and the resend dials afresh.
func TestDeadIdleConnectionsAreNotTakenInTurn(t *testing.T) {
	const timeout = time.Second
	both := make(chan struct{})
	var arrived sync.WaitGroup
	arrived.Add(2)
	go func() { arrived.Wait(); close(both) }()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hold" { // two requests at once: two connections
			arrived.Done()
			select {
			case <-both:
			case <-time.After(5 * time.Second):
			}
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	hole := newBlackhole(t, srv.Listener.Addr().String())
	c := NewHTTPClient(Options{Name: "test", Timeout: timeout, RetryMax: 1, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	base := "http://" + hole.ln.Addr().String()
	var warm sync.WaitGroup
	for range 2 {
		warm.Add(1)
		go func() {
			defer warm.Done()
			if _, err := c.Do(context.Background(), Call{Op: "warm", Method: http.MethodGet, URL: base + "/hold"}); err != nil {
				t.Error(err)
			}
		}()
	}
	warm.Wait()
	if opened, open := hole.counts(); opened != 2 || open != 2 {
		t.Fatalf("%d connections opened, %d open; want two kept idle", opened, open)
	}
	hole.cutAll()
	resp, err := c.Do(context.Background(), Call{Op: "pipelines", Method: http.MethodGet, URL: base + "/pipelines"})
	if err != nil || resp.Status != 200 {
		t.Fatalf("a read resent once after a timeout: %+v %v, want the answer over a new connection", resp, err)
	}
	hole.waitOpen(t, 1, 5*timeout)
}

// TestAnswerCutShortIsNoAnswer: an answer whose headers came but whose
// body did not (the CRM, or a proxy before it, stalling past the timeout
// after its headers; the connection lost halfway) was an error carrying
// the answer's status, 200, which the syncer reads as an answer the
// records may have caused: each such call used up an attempt of every
// operation in it, and a night of it dead-lettered the leads, where a
// stall before the headers used up none. It is no answer now (Status 0,
// CodeNetwork, the request reached the CRM), its message naming the
// status and how it was cut short.
func TestAnswerCutShortIsNoAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"status":"COMPLETE","results":[`))
		w.(http.Flusher).Flush()
		if r.URL.Path == "/stall" {
			<-r.Context().Done() // the client gives up
		} // else the connection ends 68 bytes short
	}))
	t.Cleanup(srv.Close)
	for _, tc := range []struct{ path, cause string }{{"/stall", "context deadline exceeded"}, {"/lost", "unexpected EOF"}} {
		c := NewHTTPClient(Options{Name: "test", Timeout: 300 * time.Millisecond, RetryMax: -1})
		_, err := c.Do(context.Background(), Call{Op: "contacts_upsert", Method: http.MethodPost, URL: srv.URL + tc.path, Body: map[string]int{"a": 1}, Safe: true})
		var ce *syncd.CRMError
		if !errors.As(err, &ce) || ce.Status != 0 || ce.Code != syncd.CodeNetwork || ce.Class != syncd.ErrRetry || ce.Unreached {
			t.Fatalf("%s: err %#v; want no answer: status 0, %s, ErrRetry, reached", tc.path, err, syncd.CodeNetwork)
		}
		if want := "contacts_upsert: answer cut short after 200 OK: " + tc.cause; ce.Message != want {
			t.Errorf("%s: message %q, want %q", tc.path, ce.Message, want)
		}
	}
}

// TestCRMStallingAfterTheBodyGetsItOnce: a CRM that reads a request whole
// and then answers nothing, over HTTP/1 and HTTP/2, for many calls. A
// call not safe to resend (a create) reaches it once; one safe to resend
// goes again after each timeout; and however many calls timed out, the
// client holds no more connections than it would keep for a CRM that
// answers: none over HTTP/1 (each closed at its timeout), one over HTTP/2.
// Each attempt must reach the CRM before its timeout for the counts to
// hold: at 200 ms, on a loaded machine, the first one over HTTP/2 ended
// now and then in its TLS handshake, unsent (a create that never reached
// the CRM, rightly not resent), or a request ended before it crossed the
// proxy. A second gives them room; the two protocols run side by side.
func TestCRMStallingAfterTheBodyGetsItOnce(t *testing.T) {
	const timeout = time.Second
	for _, h2 := range []bool{false, true} {
		t.Run(fmt.Sprintf("h2=%v", h2), func(t *testing.T) {
			t.Parallel()
			stallingCRMGetsItOnce(t, h2, timeout)
		})
	}
}

// stallingCRMGetsItOnce is TestCRMStallingAfterTheBodyGetsItOnce over
// HTTP/2 (h2) or HTTP/1, with the client's timeout.
func stallingCRMGetsItOnce(t *testing.T, h2 bool, timeout time.Duration) {
	var mu sync.Mutex
	got := map[string]int{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got[string(b)]++
		mu.Unlock()
		<-r.Context().Done()
	}))
	srv.EnableHTTP2 = h2
	tr := defaultTransport(timeout)
	if h2 {
		srv.StartTLS()
		tr.TLSClientConfig = srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	hole := newBlackhole(t, srv.Listener.Addr().String())
	url := strings.Replace(srv.URL, srv.Listener.Addr().String(), hole.ln.Addr().String(), 1)
	c := NewHTTPClient(Options{Name: "test", Timeout: timeout, RetryMax: 2, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond, Transport: tr})
	// The calls go at once, each timing out on its own (one after another
	// they took 12 s, 12 timeouts); over HTTP/2 they share one connection.
	const calls = 3
	var wg sync.WaitGroup
	for i := range calls {
		for _, safe := range []bool{false, true} {
			body := fmt.Sprintf(`{"call":%d,"safe":%v}`, i, safe)
			wg.Go(func() {
				if _, err := c.Do(context.Background(), Call{Op: "persons_add", Method: http.MethodPost, URL: url, JSON: []byte(body), Safe: safe}); err == nil {
					t.Error("a call got an answer")
				}
			})
		}
	}
	wg.Wait()
	mu.Lock()
	for i := range calls {
		if n := got[fmt.Sprintf(`{"call":%d,"safe":false}`, i)]; n != 1 {
			t.Errorf("a create reached the CRM %d times, want once", n)
		}
		if n := got[fmt.Sprintf(`{"call":%d,"safe":true}`, i)]; n != 3 {
			t.Errorf("a call safe to resend reached the CRM %d times, want 3 (sent, resent twice)", n)
		}
	}
	mu.Unlock()
	keep := 0
	if h2 {
		keep = 1
	}
	hole.waitOpen(t, keep, 5*time.Second)
	opened, open := hole.counts()
	t.Logf("%d calls timed out (%d attempts): %d connections opened, %d open", 2*calls, 4*calls, opened, open)
}

// TestTrickledAnswerEndsAtTheTimeout: a CRM sending its answer a byte at
// a time, slower than the timeout allows, does not hold the attempt until
// its body ends: the attempt ends at its timeout, as no answer, and the
// connection is closed under the CRM, which cannot write the rest.
func TestTrickledAnswerEndsAtTheTimeout(t *testing.T) {
	const size = 200 // bytes, one every 20 ms: 4 s
	written := make(chan int, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(size))
		w.WriteHeader(http.StatusOK)
		n := 0
		for ; n < size; n++ {
			if _, err := w.Write([]byte(" ")); err != nil {
				break
			}
			if err := http.NewResponseController(w).Flush(); err != nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		written <- n
	}))
	t.Cleanup(srv.Close)
	c := NewHTTPClient(Options{Name: "test", Timeout: 300 * time.Millisecond, RetryMax: -1})
	_, err := c.Do(context.Background(), Call{Op: "pipelines", Method: http.MethodGet, URL: srv.URL})
	var ce *syncd.CRMError
	if !errors.As(err, &ce) || ce.Status != 0 || ce.Code != syncd.CodeNetwork || !strings.Contains(ce.Message, "context deadline exceeded") {
		t.Fatalf("err %v; want no answer, cut short at the timeout", err)
	}
	if n := <-written; n == size {
		t.Fatalf("the CRM wrote its whole body (%d bytes): the client read on past its timeout", n)
	}
}

// cancelAtBody ends the caller's context when the answer's body begins
// to be read, its headers come: a Ctrl-C or a shutdown at that moment.
type cancelAtBody struct {
	base   http.RoundTripper
	cancel context.CancelFunc
}

func (c cancelAtBody) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(req)
	if err == nil {
		resp.Body = cancelingBody{resp.Body, c.cancel}
	}
	return resp, err
}

// cancelingBody cancels at its first read.
type cancelingBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b cancelingBody) Read(p []byte) (int, error) {
	b.cancel()
	return b.ReadCloser.Read(p)
}

// TestAnswerCutShortByTheCallerIsCanceled: an answer whose body the
// caller's context cut short (Ctrl-C, a shutdown) was a NETWORK error,
// "answer cut short after 200 OK: context canceled", as a CRM dropping
// the connection is: a shutdown looked like a network fault. It is
// CANCELED now, as a call canceled before its headers came; one the CRM
// cut short is still NETWORK (TestAnswerCutShortIsNoAnswer). The write
// gets StopGrace to finish its answer first (TestAStopLetsTheCallUnderWayAnswer).
func TestAnswerCutShortByTheCallerIsCanceled(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"status":"COMPLETE","results":[`))
		w.(http.Flusher).Flush()
		<-r.Context().Done() // the client gives up
	}))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := NewHTTPClient(Options{Name: "test", Timeout: 10 * time.Second, RetryMax: -1, StopGrace: 100 * time.Millisecond,
		Transport: cancelAtBody{base: defaultTransport(10 * time.Second), cancel: cancel}})
	_, err := c.Do(ctx, Call{Op: "contacts_upsert", Method: http.MethodPost, URL: srv.URL, Body: map[string]int{"a": 1}, Safe: true})
	var ce *syncd.CRMError
	if !errors.As(err, &ce) || ce.Code != "CANCELED" || ce.Class != syncd.ErrRetry || ce.Status != 0 {
		t.Fatalf("err %#v; want CANCELED, ErrRetry, status 0", err)
	}
	if want := "contacts_upsert: answer cut short after 200 OK: context canceled"; ce.Message != want {
		t.Errorf("message %q, want %q", ce.Message, want)
	}
}
