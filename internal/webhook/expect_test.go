package webhook_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestRefusedExpectContinueIsClosedAtOnce: a client that asks for
// "Expect: 100-continue" and is refused before its body is read (wrong
// token, unknown source or path, a body declared over the limit) is
// answered and its connection closed at once, its body never asked for.
// net/http waited instead for the body it had not asked for, to read the
// rest of it, holding each such connection in a request, which the
// connection cap never closes, until the read timeout: as many of them as
// the cap, needing no token, kept every sender out for that long.
func TestRefusedExpectContinueIsClosedAtOnce(t *testing.T) {
	t.Parallel()
	r := newLiveRigWith(t, webhook.ServerOptions{ReadTimeout: time.Minute, MaxConnections: 16})
	paths := []string{"/hooks/eaf/wrong-token-0123456789", "/hooks/nosuch/" + eafToken, "/nothing-here", "/hooks/eaf/" + eafToken}
	var conns []net.Conn
	for i := 0; i < 16; i++ {
		c, err := net.Dial("tcp", r.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		length := 100
		if paths[i%len(paths)] == "/hooks/eaf/"+eafToken {
			length = 1<<20 + 1 // over the limit: refused unread too
		}
		fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", paths[i%len(paths)], length)
		conns = append(conns, c)
	}
	// The cap is full of them (once the server has read their headers): a
	// real delivery must still get through.
	time.Sleep(300 * time.Millisecond)
	client := &http.Client{Timeout: 10 * time.Second} // the read timeout is a minute
	resp, err := client.Post("http://"+r.addr+"/hooks/eaf/"+eafToken, "application/json", strings.NewReader(`{"eaf_type":"feed_import","eaf_id":"first"}`))
	if err != nil {
		t.Fatalf("a sender waited behind refused clients expecting 100 Continue: %v", err)
	}
	resp.Body.Close()
	for i, c := range conns {
		c.SetReadDeadline(time.Now().Add(10 * time.Second)) // the read timeout is a minute
		br := bufio.NewReader(c)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("%s: no answer: %v", paths[i%len(paths)], err)
		}
		io.Copy(io.Discard, resp.Body)
		if resp.StatusCode < 400 || !resp.Close {
			t.Errorf("%s: %d, close %v", paths[i%len(paths)], resp.StatusCode, resp.Close)
		}
		if _, err := br.ReadByte(); err != io.EOF {
			t.Errorf("%s: connection left open after the answer (%v)", paths[i%len(paths)], err)
		}
	}

	// A sender asking for 100 Continue whose delivery is taken gets it.
	client.Transport = &http.Transport{ExpectContinueTimeout: 5 * time.Second}
	req, _ := http.NewRequest(http.MethodPost, "http://"+r.addr+"/hooks/eaf/"+eafToken, strings.NewReader(`{"eaf_type":"feed_import","eaf_id":"expect"}`))
	req.Header.Set("Expect", "100-continue")
	resp, err = client.Do(req)
	if err != nil {
		t.Fatalf("a sender expecting 100 Continue: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"status":"accepted"`) {
		t.Fatalf("a sender expecting 100 Continue: %d %s", resp.StatusCode, b)
	}
}
