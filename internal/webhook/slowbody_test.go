package webhook_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestSlowBodyStoredIsAnswered: a body that trickles in for longer than
// the write timeout, but within the read timeout, is stored and answered
// 200: the write deadline was measured from the end of the headers, so the
// event was stored and its answer cut, and the sender retried a delivery it
// had made. One that trickles past the read timeout is still cut, and not
// stored: the read timeout bounds a slow client as before.
func TestSlowBodyStoredIsAnswered(t *testing.T) {
	t.Parallel()
	r := newLiveRigWith(t, webhook.ServerOptions{ReadTimeout: 4 * time.Second, WriteTimeout: 500 * time.Millisecond})
	status, err := trickle(r.addr, `{"eaf_type":"email_lead","eaf_id":"slow"}`, 1500*time.Millisecond)
	if err != nil || status != "HTTP/1.1 200 OK" {
		t.Fatalf("a body sent over 1.5 s, the write timeout 0.5 s: %q, %v", status, err)
	}
	if n, err := r.db.CountEvents(context.Background(), sqlite.EventFilter{}); err != nil || n != 1 {
		t.Fatalf("%d events stored (%v), want 1", n, err)
	}

	status, err = trickle(r.addr, `{"eaf_type":"email_lead","eaf_id":"too-slow","padding":"xxxx"}`, 5*time.Second)
	if status == "HTTP/1.1 200 OK" {
		t.Fatalf("a body sent over 5 s, the read timeout 4 s: %q, %v", status, err)
	}
	if n, err := r.db.CountEvents(context.Background(), sqlite.EventFilter{}); err != nil || n != 1 {
		t.Fatalf("%d events stored (%v) after a body past the read timeout, want 1", n, err)
	}
}

// trickle posts body to the eaf source byte by byte over about d and
// returns the answer's status line.
func trickle(addr, body string, d time.Duration) (string, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return "", err
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /hooks/eaf/%s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", eafToken, len(body))
	for i := range len(body) {
		if _, err := io.WriteString(c, body[i:i+1]); err != nil {
			break // cut by the read timeout: what answer there is follows
		}
		time.Sleep(d / time.Duration(len(body)))
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	return strings.TrimSpace(resp.Proto + " " + resp.Status), nil
}
