package webhook_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestRefusedClientStillSendingMakesRoomForASender: a client refused
// before its body is read (a wrong token, needing none) is answered at once,
// and its connection then stays in the request for up to a second while the
// rest of the body is read, so that a proxy that sends the whole body first
// reads the answer rather than a reset. A client trickling that body, a byte
// now and then, kept its connection for the whole second, in a request,
// which the connection cap never closed: at the cap every newcomer waited.
// From the real daemon, 5,000 such clients reconnecting at once (no token)
// made /healthz and a sender's delivery wait 8 s each (2 cores, load 11),
// where 5,000 idle connections cost them under 1 s. A refused connection
// still sending is now closed for a newcomer at the cap, as a silent one is.
func TestRefusedClientStillSendingMakesRoomForASender(t *testing.T) {
	t.Parallel()
	r := newLiveRigWith(t, webhook.ServerOptions{ReadHeaderTimeout: 30 * time.Second, ReadTimeout: 30 * time.Second, MaxConnections: 2})
	stop := make(chan struct{})
	defer close(stop)
	for i := range 2 {
		c, err := net.Dial("tcp", r.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "POST /hooks/eaf/wrong-token-%016d HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{", i)
		go func() { // a byte every 20 ms: never silent
			for {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
				if _, err := c.Write([]byte(" ")); err != nil {
					return
				}
			}
		}()
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("the refused client %d: %v %v", i, resp, err)
		}
	}

	// Both slots hold a refused client, answered, still sending: the
	// sender's connection takes the place of one of them.
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Post("http://"+r.addr+"/hooks/eaf/"+eafToken, "application/json",
		strings.NewReader(`{"eaf_type":"feed_import","eaf_id":"past-refused-tricklers"}`))
	if err != nil {
		t.Fatalf("a delivery while refused clients trickle their bodies at the cap: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("a delivery while refused clients trickle their bodies at the cap: %s", resp.Status)
	}
	for _, l := range r.log.Lines(t) {
		if msg, _ := l["message"].(string); strings.Contains(msg, "every connection http.max_connections allows is in a request") {
			t.Fatalf("the sender waited for a refused client's body to end (the cap found no connection to close): %v", l)
		}
	}
	if !strings.Contains(r.log.String(), "was closed for a new one") {
		t.Errorf("no line says a connection was closed for the sender's: %s", r.log.String())
	}
}
