package webhook_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestRefusedTrickleIsAnsweredAtOnce: a client refused before its body is
// read (wrong token, unknown source or path) that trickles the body gets its
// answer at once and its connection closed; net/http used to read the rest
// itself first, holding each such connection in a request (which the
// connection cap never closes) until the read timeout with no answer, so
// that as many of them as the cap kept a real sender waiting. A sender whose
// delivery is read keeps its connection for the next one.
func TestRefusedTrickleIsAnsweredAtOnce(t *testing.T) {
	t.Parallel()
	r := newLiveRigWith(t, webhook.ServerOptions{ReadTimeout: time.Minute, MaxConnections: 16})
	paths := []string{"/hooks/eaf/wrong-token-0123456789", "/hooks/nosuch/" + eafToken, "/nothing-here", "/healthz"}
	var conns []net.Conn
	for i := 0; i < 16; i++ {
		c, err := net.Dial("tcp", r.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{", paths[i%len(paths)])
		conns = append(conns, c)
	}
	// The cap is full of them (once the server has read their headers): a
	// real delivery must still get through.
	time.Sleep(300 * time.Millisecond)
	client := &http.Client{Timeout: 10 * time.Second} // the read timeout is a minute
	resp, err := client.Post("http://"+r.addr+"/hooks/eaf/"+eafToken, "application/json", strings.NewReader(`{"eaf_type":"feed_import","eaf_id":"first"}`))
	if err != nil {
		t.Fatalf("a sender waited behind refused trickles: %v", err)
	}
	resp.Body.Close()
	for i, c := range conns {
		c.SetReadDeadline(time.Now().Add(10 * time.Second)) // the read timeout is a minute
		br := bufio.NewReader(c)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("%s: no answer while the body trickles: %v", paths[i%len(paths)], err)
		}
		io.Copy(io.Discard, resp.Body)
		if resp.StatusCode < 400 || !resp.Close {
			t.Errorf("%s: %d, close %v", paths[i%len(paths)], resp.StatusCode, resp.Close)
		}
		if _, err := br.ReadByte(); err != io.EOF {
			t.Errorf("%s: connection left open (%v)", paths[i%len(paths)], err)
		}
	}

	// A client refused with its body sent whole gets the answer, not a reset.
	for i := 0; i < 5; i++ {
		resp, err := client.Post("http://"+r.addr+"/hooks/eaf/wrong-token-0123456789", "application/json", bytes.NewReader(bytes.Repeat([]byte(" "), 200<<10)))
		if err != nil {
			t.Fatalf("refused with its body sent: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Fatalf("refused with its body sent: %d", resp.StatusCode)
		}
	}

	// A sender whose delivery is read keeps its connection.
	c, err := net.Dial("tcp", r.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	body := `{"eaf_type":"feed_import","eaf_id":"kept"}`
	br := bufio.NewReader(c)
	for _, path := range []string{"/hooks/eaf/" + eafToken, "/hooks/eaf/" + eafToken} {
		fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s", path, len(body), body)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("keep-alive: %v", err)
		}
		b, _ := io.ReadAll(resp.Body)
		if resp.Close {
			t.Fatalf("keep-alive: closed after %d %s", resp.StatusCode, bytes.TrimSpace(b))
		}
		if resp.StatusCode != 200 || !strings.Contains(string(b), `"event_id":"2"`) {
			t.Fatalf("keep-alive: %s", b)
		}
	}
}
