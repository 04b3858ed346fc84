package webhook_test

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestRefusedBodySentWholeGetsTheAnswer sends requests as nginx passes them
// on: the whole body written before the answer is read. A body refused
// unread (a wrong token, a client outside allow_ips) or over the size
// limit, of 256 KiB or more, used to be met with a reset (the server closed
// the connection with the body unread): nginx then answered the sender 502
// instead of syncd's 401, 403 or 413, and counted it as the instance
// failing (max_fails), taking it out of rotation for fail_timeout.
func TestRefusedBodySentWholeGetsTheAnswer(t *testing.T) {
	t.Parallel()
	r := newLiveRigWith(t, webhook.ServerOptions{ReadTimeout: time.Minute})
	for _, tc := range []struct {
		path string
		size int
		want int
	}{
		{"/hooks/eaf/wrong-token-0123456789", 300 << 10, 401},
		{"/hooks/eaf/wrong-token-0123456789", 1 << 20, 401},
		{"/hooks/eaf/" + eafToken, 1<<20 + 1, 413},
		{"/hooks/eaf/" + eafToken, 4 << 20, 413},
	} {
		for i := range 3 {
			if got, err := sendWhole(r.addr, tc.path, tc.size); err != nil || got != tc.want {
				t.Fatalf("%d bytes to %s (try %d): %d %v, want %d", tc.size, tc.path, i+1, got, err, tc.want)
			}
		}
	}
}

// sendWhole writes a POST with a body of size bytes in full, then reads the
// answer's status, as a buffering proxy does.
func sendWhole(addr, path string, size int) (int, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	req := fmt.Appendf(nil, "POST %s HTTP/1.0\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", path, size)
	if _, err := c.Write(append(req, bytes.Repeat([]byte(" "), size)...)); err != nil {
		return 0, fmt.Errorf("writing the body: %w", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0, fmt.Errorf("reading the answer: %w", err)
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
