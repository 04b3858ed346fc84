package systemd

import (
	"context"
	"errors"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// setWatchdogEnv makes this process the one systemd watches, every d.
func setWatchdogEnv(t *testing.T, d time.Duration) {
	t.Helper()
	t.Setenv("WATCHDOG_USEC", strconv.FormatInt(d.Microseconds(), 10))
	t.Setenv("WATCHDOG_PID", strconv.Itoa(os.Getpid()))
}

// waitFor polls cond until it holds, failing the test after 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// drain discards the datagrams already queued on the socket.
func (s *notifySocket) drain() {
	for {
		if _, ok := s.read(time.Millisecond); !ok {
			return
		}
	}
}

func startWatchdog(t *testing.T, health func(context.Context) error) (stop func()) {
	t.Helper()
	w, err := NewWatchdog(NewNotifier(), zerolog.New(zerolog.NewTestWriter(t)))
	if err != nil {
		t.Fatal(err)
	}
	if !w.Enabled() {
		t.Fatal("watchdog disabled with WATCHDOG_USEC and NOTIFY_SOCKET set")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, health) }()
	return func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return after cancel")
		}
	}
}

func TestWatchdogPingsOnlyWhileHealthy(t *testing.T) {
	sock := newNotifySocket(t)
	setWatchdogEnv(t, 40*time.Millisecond)

	var failing atomic.Bool
	var failedCalls atomic.Int64
	stop := startWatchdog(t, func(context.Context) error {
		if failing.Load() {
			failedCalls.Add(1)
			return errors.New("database not writable")
		}
		return nil
	})
	defer stop()

	for i := 0; i < 3; i++ {
		if got := sock.next(); got != "WATCHDOG=1" {
			t.Fatalf("ping %d: got %q", i, got)
		}
	}

	failing.Store(true)
	// A ping follows its health call synchronously, so once a failing call
	// has started every ping from a passing call is already queued.
	waitFor(t, "first failing health call", func() bool { return failedCalls.Load() >= 1 })
	sock.drain()
	waitFor(t, "three more failing health calls", func() bool { return failedCalls.Load() >= 4 })
	if msg, ok := sock.read(5 * time.Millisecond); ok {
		t.Fatalf("sent %q while health was failing", msg)
	}

	failing.Store(false)
	if got := sock.next(); got != "WATCHDOG=1" {
		t.Fatalf("after recovery: got %q", got)
	}
}

func TestWatchdogHungHealthCheckIsAFailure(t *testing.T) {
	sock := newNotifySocket(t)
	setWatchdogEnv(t, 40*time.Millisecond)

	var calls atomic.Int64
	stop := startWatchdog(t, func(ctx context.Context) error {
		calls.Add(1)
		<-ctx.Done() // hangs until the watchdog gives up on it
		return ctx.Err()
	})
	defer stop()

	waitFor(t, "three hung health calls", func() bool { return calls.Load() >= 3 })
	if msg, ok := sock.read(5 * time.Millisecond); ok {
		t.Fatalf("sent %q while health checks hung", msg)
	}
}

func TestWatchdogDisabled(t *testing.T) {
	newNotifySocket(t)
	cases := map[string]func(t *testing.T){
		"no WATCHDOG_USEC": func(t *testing.T) { t.Setenv("WATCHDOG_USEC", "") },
		"another process": func(t *testing.T) {
			setWatchdogEnv(t, 40*time.Millisecond)
			t.Setenv("WATCHDOG_PID", strconv.Itoa(os.Getpid()+1))
		},
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			setup(t)
			w, err := NewWatchdog(NewNotifier(), zerolog.Nop())
			if err != nil {
				t.Fatal(err)
			}
			if w.Enabled() {
				t.Fatalf("enabled with interval %v", w.Interval)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			var called atomic.Bool
			if err := w.Run(ctx, func(context.Context) error { called.Store(true); return nil }); err != nil {
				t.Fatal(err)
			}
			if called.Load() {
				t.Error("health called although the watchdog is disabled")
			}
		})
	}
}

func TestWatchdogBadEnv(t *testing.T) {
	t.Setenv("WATCHDOG_USEC", "soon")
	if _, err := NewWatchdog(NewNotifier(), zerolog.Nop()); err == nil {
		t.Fatal("NewWatchdog accepted WATCHDOG_USEC=soon")
	}
}

// TestWatchdogOneFailedCheckIsNoRestart: systemd restarts the daemon when
// no ping comes for a whole WatchdogSec. A single health check that fails
// (the SQLite write lock held a few seconds by a command run beside the
// daemon: the check's BEGIN IMMEDIATE gives up after its busy timeout, 5 s)
// must not leave such a gap: only checks failing for most of WatchdogSec
// may. Pinging every Interval/2, as syncd did, one failed check left a gap
// of the whole Interval between two pings (tried on the real daemon with
// WATCHDOG_USEC=30 s and an sqlite3 holding the lock 8 s: pings at
// 21:33:06 and 21:33:36), and systemd killed the daemon (SIGABRT).
func TestWatchdogOneFailedCheckIsNoRestart(t *testing.T) {
	sock := newNotifySocket(t)
	const interval = 2 * time.Second
	setWatchdogEnv(t, interval)

	var calls atomic.Int64
	stop := startWatchdog(t, func(ctx context.Context) error {
		if calls.Add(1) == 3 { // the third check waits as long as it may, then fails
			<-ctx.Done()
			return errors.New("ping db: database is locked")
		}
		return nil
	})
	defer stop()

	var last time.Time
	var widest time.Duration
	for calls.Load() < 6 {
		msg, ok := sock.read(2 * interval)
		if !ok {
			t.Fatalf("no ping for %v after %d health checks: systemd restarts the daemon", 2*interval, calls.Load())
		}
		if msg != "WATCHDOG=1" {
			t.Fatalf("got %q", msg)
		}
		now := time.Now()
		if !last.IsZero() && now.Sub(last) > widest {
			widest = now.Sub(last)
		}
		last = now
	}
	// Exactly one check failed: the widest gap between pings must leave
	// systemd's WatchdogSec well alone (3/4 of it: the tick's own jitter on
	// a busy machine is far below that).
	if widest >= interval*3/4 {
		t.Errorf("one failed health check left %v between pings, WatchdogSec %v: systemd restarts the daemon at %v", widest, interval, interval)
	}
}
