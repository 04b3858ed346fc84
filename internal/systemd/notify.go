// Package systemd connects syncd to the service manager: sd_notify
// readiness and status messages, a watchdog that pings only while the
// daemon is healthy, and listeners handed over by socket activation.
//
// Everything here is a no-op outside systemd (NOTIFY_SOCKET, WATCHDOG_USEC
// and LISTEN_FDS unset), so the same code path runs in development and
// tests. The environment is read once, when a value is constructed.
package systemd

import (
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"
	"golang.org/x/sys/unix"
)

// Notifier sends sd_notify(3) messages to the service manager over the
// datagram socket named by NOTIFY_SOCKET. The zero value (and a Notifier
// built where NOTIFY_SOCKET is unset) silently sends nothing.
type Notifier struct {
	// Socket is the NOTIFY_SOCKET address: a file system path, or an
	// abstract socket name starting with "@". Empty disables notifications.
	Socket string
}

// NewNotifier returns a Notifier for the NOTIFY_SOCKET of the current
// environment.
func NewNotifier() *Notifier {
	return &Notifier{Socket: os.Getenv("NOTIFY_SOCKET")}
}

// Enabled reports whether messages go anywhere.
func (n *Notifier) Enabled() bool { return n != nil && n.Socket != "" }

// Ready tells systemd that start-up (or a reload) is complete: call it only
// once the listener is bound and the database is open.
func (n *Notifier) Ready() error { return n.Notify(daemon.SdNotifyReady) }

// Stopping tells systemd that shutdown has begun.
func (n *Notifier) Stopping() error { return n.Notify(daemon.SdNotifyStopping) }

// Reloading tells systemd that a configuration reload has begun; send Ready
// when it is over, whether it succeeded or not. MONOTONIC_USEC is included,
// as systemd 253 and later require for Type=notify-reload (older versions
// ignore it).
func (n *Notifier) Reloading() error {
	usec, err := monotonicUsec()
	if err != nil {
		return fmt.Errorf("sd_notify reloading: %w", err)
	}
	return n.Notify(daemon.SdNotifyReloading, fmt.Sprintf("MONOTONIC_USEC=%d", usec))
}

// Status sets the one-line status systemctl status shows. Newlines are
// replaced by spaces: they would end the assignment.
func (n *Notifier) Status(s string) error {
	return n.Notify("STATUS=" + strings.ReplaceAll(s, "\n", " "))
}

// Extending sets the status and extends the start timeout
// (EXTEND_TIMEOUT_USEC, by three times every) now and every `every`, while
// a start-up step that may outlast TimeoutStartSec runs; stop ends it.
// Nothing is sent when the Notifier is disabled.
func (n *Notifier) Extending(status string, every time.Duration) (stop func()) {
	if !n.Enabled() {
		return func() {}
	}
	send := func() {
		n.Notify("STATUS="+strings.ReplaceAll(status, "\n", " "), fmt.Sprintf("EXTEND_TIMEOUT_USEC=%d", (3*every).Microseconds()))
	}
	send()
	done, ended := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(ended)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				send()
			}
		}
	}()
	return sync.OnceFunc(func() { close(done); <-ended })
}

// Watchdog sends one keep-alive ping (WATCHDOG=1).
func (n *Notifier) Watchdog() error { return n.Notify(daemon.SdNotifyWatchdog) }

// Notify sends the given assignments (e.g. "READY=1") in one datagram, as
// one atomic state change. It does nothing when the Notifier is disabled.
func (n *Notifier) Notify(assignments ...string) error {
	if !n.Enabled() || len(assignments) == 0 {
		return nil
	}
	addr := &net.UnixAddr{Name: n.Socket, Net: "unixgram"}
	conn, err := net.DialUnix("unixgram", nil, addr)
	if err != nil {
		return fmt.Errorf("sd_notify: %w", err)
	}
	defer conn.Close()
	msg := strings.Join(assignments, "\n")
	if _, err := conn.Write([]byte(msg)); err != nil {
		return fmt.Errorf("sd_notify: %w", err)
	}
	return nil
}

// monotonicUsec reads CLOCK_MONOTONIC in microseconds, the clock systemd
// compares MONOTONIC_USEC against.
func monotonicUsec() (int64, error) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return 0, fmt.Errorf("clock_gettime: %w", err)
	}
	return ts.Nano() / int64(time.Microsecond), nil
}
