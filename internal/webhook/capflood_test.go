package webhook_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestNewcomerAtTheCapDoesNotCloseASendersConnection: at the connection
// cap, a newcomer took the place of the oldest connection not in a
// request, and a sender's connection is not in a request to net/http from
// its opening until its request's headers are read: the sender whose
// request follows its connection by a moment (one that crosses a network,
// a proxy that connects and then writes) had its connection closed for a
// client opened just after it, and its delivery failed with a reset or
// EOF. Under an unauthenticated flood at the cap's rate (wrong tokens,
// 1,700 requests a second from one local client), 15 of 16 deliveries to
// the real daemon at the default cap of 512 failed so. A connection just
// opened, or whose request waits to be read, is now kept; the newcomer
// waits for a slot.
func TestNewcomerAtTheCapDoesNotCloseASendersConnection(t *testing.T) {
	t.Parallel()
	r := newLiveRigWith(t, webhook.ServerOptions{ReadHeaderTimeout: 2 * time.Second, ReadTimeout: 2 * time.Second, MaxConnections: 2})
	// One slot in a request: a delivery whose body is still coming.
	busy := deliveryInItsBody(t, r.addr)
	defer busy.Close()
	time.Sleep(200 * time.Millisecond)

	// The sender takes the other slot, and writes its request 40 ms later;
	// a newcomer connects 5 ms after it.
	sender, err := net.Dial("tcp", r.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer sender.Close()
	time.Sleep(5 * time.Millisecond)
	newcomer, err := net.Dial("tcp", r.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer newcomer.Close()
	time.Sleep(35 * time.Millisecond)
	body := `{"eaf_type":"feed_import","eaf_id":"at-the-cap"}`
	fmt.Fprintf(sender, "POST /hooks/eaf/%s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s", eafToken, len(body), body)
	sender.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(sender), nil)
	if err != nil {
		t.Fatalf("the sender's delivery: %v (its connection closed for the newcomer?)", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("the sender's delivery: %s", resp.Status)
	}
	if n, err := r.db.CountEvents(context.Background(), sqlite.EventFilter{}); err != nil || n != 1 {
		t.Errorf("%d events stored (%v), want the sender's", n, err)
	}

	// The newcomer is served once a slot frees (the sender's, closed).
	fmt.Fprintf(newcomer, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	newcomer.SetReadDeadline(time.Now().Add(10 * time.Second))
	if resp, err := http.ReadResponse(bufio.NewReader(newcomer), nil); err != nil || resp.StatusCode != 200 {
		t.Fatalf("the newcomer, once a slot freed: %v %v", resp, err)
	}

	// Silent connections are still closed for newcomers: the cap's guard
	// against a flood of them.
	for range 20 {
		c, err := net.Dial("tcp", r.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err = client.Post("http://"+r.addr+"/hooks/eaf/"+eafToken, "application/json",
		strings.NewReader(`{"eaf_type":"feed_import","eaf_id":"after-silent-ones"}`))
	if err != nil {
		t.Fatalf("a delivery after 20 silent connections: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("a delivery after 20 silent connections: %s", resp.Status)
	}
}

// TestHeaderTricklerAtTheCapMakesRoomForASender: a client that keeps
// sending its headers a byte at a time is not silent, but a sender sends
// its headers whole: past a second without them, the trickler's connection
// is closed for a newcomer at the cap, not kept until the header timeout.
func TestHeaderTricklerAtTheCapMakesRoomForASender(t *testing.T) {
	t.Parallel()
	r := newLiveRigWith(t, webhook.ServerOptions{ReadHeaderTimeout: 30 * time.Second, ReadTimeout: 30 * time.Second, MaxConnections: 2})
	busy := deliveryInItsBody(t, r.addr)
	defer busy.Close()
	trickler, err := net.Dial("tcp", r.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer trickler.Close()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for _, b := range []byte("POST /hooks/eaf/" + strings.Repeat("x", 400)) {
			select {
			case <-stop:
				return
			case <-time.After(30 * time.Millisecond):
			}
			if _, err := trickler.Write([]byte{b}); err != nil {
				return
			}
		}
	}()
	time.Sleep(200 * time.Millisecond)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Post("http://"+r.addr+"/hooks/eaf/"+eafToken, "application/json",
		strings.NewReader(`{"eaf_type":"feed_import","eaf_id":"past-a-trickler"}`))
	if err != nil {
		t.Fatalf("a delivery while a client trickles its headers at the cap: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("a delivery while a client trickles its headers at the cap: %s", resp.Status)
	}
}

// deliveryInItsBody opens a connection to addr and sends it a delivery's
// headers and the start of its body, of 100 bytes declared: a connection
// in a request, which the connection cap never closes for a newcomer.
func deliveryInItsBody(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(c, "POST /hooks/eaf/%s HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"eaf_type\":", eafToken)
	return c
}
