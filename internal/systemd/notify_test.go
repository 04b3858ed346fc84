package systemd

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// notifySocket is a unixgram socket standing in for systemd's: it is set as
// NOTIFY_SOCKET for the test and collects what the daemon sends.
type notifySocket struct {
	t    *testing.T
	conn *net.UnixConn
}

func newNotifySocket(t *testing.T) *notifySocket {
	t.Helper()
	// sun_path is limited to 108 bytes, which t.TempDir() can exceed.
	dir, err := os.MkdirTemp("", "sdn")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "notify")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	t.Setenv("NOTIFY_SOCKET", path)
	return &notifySocket{t: t, conn: conn}
}

// next returns the next datagram, failing the test if none comes in time.
func (s *notifySocket) next() string {
	s.t.Helper()
	msg, ok := s.read(5 * time.Second)
	if !ok {
		s.t.Fatal("no sd_notify message received")
	}
	return msg
}

// read waits up to d for a datagram.
func (s *notifySocket) read(d time.Duration) (string, bool) {
	s.t.Helper()
	buf := make([]byte, 4096)
	if err := s.conn.SetReadDeadline(time.Now().Add(d)); err != nil {
		s.t.Fatal(err)
	}
	n, err := s.conn.Read(buf)
	if err != nil {
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			return "", false
		}
		s.t.Fatal(err)
	}
	return string(buf[:n]), true
}

func TestNotifierMessages(t *testing.T) {
	sock := newNotifySocket(t)
	n := NewNotifier()
	if !n.Enabled() {
		t.Fatal("Notifier disabled with NOTIFY_SOCKET set")
	}

	if err := n.Ready(); err != nil {
		t.Fatal(err)
	}
	if got := sock.next(); got != "READY=1" {
		t.Errorf("Ready sent %q", got)
	}

	if err := n.Status("serving on :8080\noutbox 3 pending"); err != nil {
		t.Fatal(err)
	}
	if got := sock.next(); got != "STATUS=serving on :8080 outbox 3 pending" {
		t.Errorf("Status sent %q", got)
	}

	before, err := monotonicUsec()
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Reloading(); err != nil {
		t.Fatal(err)
	}
	after, _ := monotonicUsec()
	lines := strings.Split(sock.next(), "\n")
	if len(lines) != 2 || lines[0] != "RELOADING=1" || !strings.HasPrefix(lines[1], "MONOTONIC_USEC=") {
		t.Fatalf("Reloading sent %q", lines)
	}
	usec, err := strconv.ParseInt(strings.TrimPrefix(lines[1], "MONOTONIC_USEC="), 10, 64)
	if err != nil || usec < before || usec > after {
		t.Errorf("MONOTONIC_USEC=%d, want within [%d, %d] (err %v)", usec, before, after, err)
	}

	if err := n.Watchdog(); err != nil {
		t.Fatal(err)
	}
	if got := sock.next(); got != "WATCHDOG=1" {
		t.Errorf("Watchdog sent %q", got)
	}

	if err := n.Stopping(); err != nil {
		t.Fatal(err)
	}
	if got := sock.next(); got != "STOPPING=1" {
		t.Errorf("Stopping sent %q", got)
	}
}

func TestNotifierEnvReadAtConstruction(t *testing.T) {
	sock := newNotifySocket(t)
	n := NewNotifier()
	// A later change of the environment does not redirect the Notifier.
	t.Setenv("NOTIFY_SOCKET", "")
	if err := n.Ready(); err != nil {
		t.Fatal(err)
	}
	if got := sock.next(); got != "READY=1" {
		t.Errorf("got %q", got)
	}
}

func TestNotifierDisabledWithoutSocket(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	n := NewNotifier()
	if n.Enabled() {
		t.Fatal("Notifier enabled without NOTIFY_SOCKET")
	}
	for name, f := range map[string]func() error{
		"Ready": n.Ready, "Stopping": n.Stopping, "Reloading": n.Reloading, "Watchdog": n.Watchdog,
	} {
		if err := f(); err != nil {
			t.Errorf("%s without NOTIFY_SOCKET: %v", name, err)
		}
	}
	var zero *Notifier
	if err := zero.Ready(); err != nil {
		t.Errorf("nil Notifier: %v", err)
	}
}

func TestNotifierReportsDeadSocket(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", filepath.Join(t.TempDir(), "gone"))
	if err := NewNotifier().Ready(); err == nil {
		t.Fatal("Ready to a missing socket returned nil")
	}
}

// TestExtendingKeepsTheStartAlive: a start-up step longer than the start
// timeout sends its status and an extension at once and again every
// interval, each extension outlasting the next, and nothing once stopped.
func TestExtendingKeepsTheStartAlive(t *testing.T) {
	sock := newNotifySocket(t)
	stop := NewNotifier().Extending("migrating the database schema", 50*time.Millisecond)
	want := "STATUS=migrating the database schema\nEXTEND_TIMEOUT_USEC=150000"
	for i := range 3 {
		if got := sock.next(); got != want {
			t.Fatalf("message %d: %q, want %q", i, got, want)
		}
	}
	stop()
	stop() // twice is harmless
	if got, ok := sock.read(200 * time.Millisecond); ok {
		t.Fatalf("after stop: %q", got)
	}
}
