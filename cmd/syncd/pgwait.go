package main

import (
	"context"
	"net"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/systemd"
)

// reachRetry is how often serve tries again to open a PostgreSQL database
// that did not answer.
const reachRetry = 5 * time.Second

// newDaemonWhenReachable is newDaemonWhenRoom, waiting while the
// PostgreSQL database does not answer (postgres.Unreachable: down, cut
// off, starting or stopping). A start then (instances booting before the
// database after a power cut, a restart during a failover or a
// maintenance) used to exit 1 at once, systemd restarting it every 2 s
// with a start error each time until the database was back. The wait is
// logged once, shown in systemd's status (the start timeout extended
// meanwhile), and ends when the database opens, refuses for good (a
// password, a role: exit 2, as any start so refused) or ctx ends; the port is held
// meanwhile, and answered (startWait): /metrics says the daemon waits and
// why, for syncd status; /readyz and every delivery are answered 503.
func newDaemonWhenReachable(ctx context.Context, file string, cfg *config.Config, log zerolog.Logger, start startFlags,
	ln, metricsLn net.Listener) (*daemon, error) {
	d, err := newDaemonWhenRoom(ctx, file, cfg, log, start, ln, metricsLn)
	if cfg.Store.Kind != config.StorePostgres || !postgres.Unreachable(err) || ctx.Err() != nil {
		return d, err
	}
	log.Error().Err(err).Msg("start: waiting for the database to answer; no delivery is accepted until then")
	stop := systemd.NewNotifier().Extending("waiting for PostgreSQL to answer", reachRetry)
	defer stop()
	w := startWaiting(cfg, log, ln, metricsLn, err)
	defer w.stop()
	for postgres.Unreachable(err) {
		w.failed(err)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(reachRetry):
		}
		d, err = newDaemonWhenRoom(ctx, file, cfg, log, start, ln, metricsLn)
	}
	if err == nil {
		log.Info().Msg("the database answers: starting")
	}
	return d, err
}
