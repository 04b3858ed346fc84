package systemd

import (
	"context"
	"fmt"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"
	"github.com/rs/zerolog"
)

// Watchdog keeps systemd's WatchdogSec= satisfied while, and only while,
// the daemon is healthy: each tick it runs a health check and pings only if
// the check passed. A daemon that is alive but stuck (database not
// writable, a scheduler dead) therefore stops pinging and systemd restarts
// it.
type Watchdog struct {
	// Interval is the WatchdogSec= systemd enforces (from WATCHDOG_USEC);
	// zero disables the watchdog. Checks, and pings, go every Interval/4
	// (checksPerInterval).
	Interval time.Duration
	// Notifier carries the pings.
	Notifier *Notifier
	// Log reports failed health checks (at warn) and ping errors.
	Log zerolog.Logger
}

// NewWatchdog returns a Watchdog configured from WATCHDOG_USEC and
// WATCHDOG_PID (set by systemd when WatchdogSec= is on and this process is
// the one watched). It is disabled (Interval 0) when they are absent or
// name another process.
func NewWatchdog(n *Notifier, log zerolog.Logger) (*Watchdog, error) {
	interval, err := daemon.SdWatchdogEnabled(false)
	if err != nil {
		return nil, fmt.Errorf("watchdog: %w", err)
	}
	return &Watchdog{Interval: interval, Notifier: n, Log: log}, nil
}

// Enabled reports whether systemd expects pings.
func (w *Watchdog) Enabled() bool {
	return w != nil && w.Interval > 0 && w.Notifier.Enabled()
}

// checksPerInterval is how many health checks, each followed by a ping if
// it passed, go out per WatchdogSec. At 2 (a ping every 15 s of syncd's
// 30 s) one failed check, say the SQLite write lock held a few seconds by a
// command run beside the daemon, left a whole WatchdogSec between two
// pings, and systemd killed a daemon that was not stuck. At 4 one or two
// failed checks leave half or three quarters of it: only checks failing
// for most of WatchdogSec (a hung or lost store) restart the daemon.
const checksPerInterval = 4

// Run checks health and pings every Interval/4 until ctx ends, then
// returns nil. Each health call gets a context that ends at the next tick,
// so a hung check counts as a failure. When the watchdog is disabled Run
// calls nothing and just waits for ctx, so it can sit in a run group like
// any other long-running part.
func (w *Watchdog) Run(ctx context.Context, health func(context.Context) error) error {
	if !w.Enabled() {
		<-ctx.Done()
		return nil
	}
	period := w.Interval / checksPerInterval
	t := time.NewTicker(period)
	defer t.Stop()
	healthy := true
	for {
		healthy = w.tick(ctx, health, period, healthy)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// tick runs one health check and pings if it passed. It logs transitions
// only, so a long outage is not one warning every few seconds.
func (w *Watchdog) tick(ctx context.Context, health func(context.Context) error, timeout time.Duration, wasHealthy bool) bool {
	hctx, cancel := context.WithTimeout(ctx, timeout)
	err := health(hctx)
	cancel()
	if ctx.Err() != nil {
		return wasHealthy
	}
	if err != nil {
		if wasHealthy {
			w.Log.Warn().Err(err).Dur("watchdog_ms", w.Interval).Msg("health check failing: watchdog pings stopped")
		}
		return false
	}
	if !wasHealthy {
		w.Log.Info().Msg("health check passing again: watchdog pings resumed")
	}
	if err := w.Notifier.Watchdog(); err != nil {
		w.Log.Error().Err(err).Msg("watchdog ping")
	}
	return true
}
