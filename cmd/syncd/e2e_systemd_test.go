package main_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// notifications collects what the daemon sends to NOTIFY_SOCKET.
type notifications struct {
	conn *net.UnixConn
	got  chan string
}

func listenNotify(t *testing.T) (*notifications, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	n := &notifications{conn: conn, got: make(chan string, 1024)}
	go func() {
		buf := make([]byte, 4096)
		for {
			k, err := conn.Read(buf)
			if err != nil {
				close(n.got)
				return
			}
			n.got <- string(buf[:k])
		}
	}()
	t.Cleanup(func() { conn.Close() })
	return n, path
}

// await waits for a message containing want, returning what came before it.
func (n *notifications) await(t *testing.T, want string) []string {
	t.Helper()
	seen, _ := n.awaitMatch(t, want, func(m string) bool { return strings.Contains(m, want) }, 20*time.Second)
	return seen
}

// awaitMatch waits up to within for a message that matches (what names
// it), returning what came before it and the message.
func (n *notifications) awaitMatch(t *testing.T, what string, matches func(string) bool, within time.Duration) ([]string, string) {
	t.Helper()
	var seen []string
	timeout := time.After(within)
	for {
		select {
		case m, ok := <-n.got:
			if !ok {
				t.Fatalf("notify socket closed waiting for %q (saw %q)", what, seen)
			}
			if matches(m) {
				return seen, m
			}
			seen = append(seen, m)
		case <-timeout:
			t.Fatalf("no %q from the daemon (saw %q)", what, seen)
		}
	}
}

// TestServiceManagerProtocol: the real daemon tells the service manager
// READY once it serves, pings the watchdog while healthy, says
// RELOADING then READY around SIGHUP, and STOPPING on SIGTERM.
func TestServiceManagerProtocol(t *testing.T) {
	t.Parallel()
	n, sock := listenNotify(t)
	config := writeConfig(t, t.TempDir())
	d := start(t, config, "NOTIFY_SOCKET="+sock, "WATCHDOG_USEC=200000")
	n.await(t, "READY=1")
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(`{"eaf_type":"feed_import","eaf_id":"n1"}`)); err != nil || a.Code != 200 {
		t.Fatalf("post after READY: %+v %v", a, err)
	}
	n.await(t, "WATCHDOG=1")
	n.await(t, "WATCHDOG=1")

	d.cmd.Process.Signal(syscall.SIGHUP)
	n.await(t, "RELOADING=1")
	n.await(t, "READY=1")

	d.cmd.Process.Signal(syscall.SIGTERM)
	n.await(t, "STOPPING=1")
	if err := <-d.done; err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
}

// TestStoppingIsSaidAsTheSignalComes: on SIGTERM the daemon answers the
// deliveries in flight before it exits (up to 30 s), and systemctl status
// showed "serving on ADDR" meanwhile: STOPPING=1 was sent once they were
// answered. It is now sent as the signal comes, with the status line
// saying so, while a delivery is still in flight, and that delivery is
// still answered 200.
func TestStoppingIsSaidAsTheSignalComes(t *testing.T) {
	t.Parallel()
	n, sock := listenNotify(t)
	d := start(t, writeConfig(t, t.TempDir()), "NOTIFY_SOCKET="+sock)
	n.await(t, "READY=1")

	body := `{"eaf_type":"feed_import","eaf_id":"in-flight"}`
	conn, err := net.Dial("tcp", strings.TrimPrefix(d.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	fmt.Fprintf(conn, "POST /hooks/eaf/%s HTTP/1.1\r\nHost: syncd\r\nContent-Type: application/json\r\n"+
		"Content-Length: %d\r\nExpect: 100-continue\r\n\r\n", e2eEAFToken, len(body))
	r := bufio.NewReader(conn)
	if line, err := r.ReadString('\n'); err != nil || !strings.Contains(line, "100 Continue") {
		t.Fatalf("before the body: %q %v, want 100 Continue (the request in its handler)", line, err)
	}
	r.ReadString('\n') // the blank line after it

	d.cmd.Process.Signal(syscall.SIGTERM)
	_, msg := n.awaitMatch(t, "STOPPING=1", func(m string) bool { return strings.Contains(m, "STOPPING=1") }, 10*time.Second)
	if !strings.Contains(msg, "STATUS=stopping: ") {
		t.Errorf("STOPPING=1 came as %q: the status line still says what it said while serving", msg)
	}

	io.WriteString(conn, body)
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("the delivery in flight as the daemon stopped: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("the delivery in flight as the daemon stopped: %s, want 200", resp.Status)
	}
	if err := <-d.done; err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, d.log())
	}
	for len(n.got) > 0 { // what came after STOPPING=1, all sent before the exit
		if m := <-n.got; strings.Contains(m, "serving on") {
			t.Errorf("after STOPPING=1: %q", m)
		}
	}
}
