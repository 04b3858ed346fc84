package main

import (
	"errors"
	"fmt"
	"net"
	"syscall"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/systemd"
)

// listenError is a listener serve could not open: the address and the
// setting that names it, for the operator's fix.
type listenError struct {
	addr, setting string
	err           error
}

func (e *listenError) Error() string { return e.err.Error() }
func (e *listenError) Unwrap() error { return e.err }

// listen opens the webhook listener (or takes systemd's socket) and the
// metrics listener when it has an address of its own (nil otherwise).
func listen(cfg *config.Config) (ln, metricsLn net.Listener, err error) {
	if ln, err = systemd.Listener(cfg.Listen); err != nil {
		return nil, nil, &listenError{addr: cfg.Listen, setting: "listen in the configuration, or SYNCD_LISTEN", err: err}
	}
	if cfg.Metrics.Listen == "" {
		return ln, nil, nil
	}
	if metricsLn, err = net.Listen("tcp", cfg.Metrics.Listen); err != nil {
		ln.Close()
		return nil, nil, &listenError{addr: cfg.Metrics.Listen, setting: "metrics.listen in the configuration",
			err: fmt.Errorf("metrics.listen: %w", err)}
	}
	return ln, metricsLn, nil
}

// logListenError says why serve could not listen and what to do, and
// returns serve's exit status (startStatus). An address in use by the
// daemon already serving this database is told as that daemon, as a
// second start on an address of its own is, and exits 2 as that does;
// one that another configuration file beside this one names (another
// agency's, a port copied with its file) is named with that file and
// exits 2 too; one another program holds exits 1: it may let go of it.
func logListenError(log zerolog.Logger, cfg *config.Config, env config.Env, err error) int {
	var le *listenError
	if !errors.As(err, &le) {
		log.Error().Err(err).Msg("listen")
		return startStatus(err)
	}
	ev := log.Error().Err(err).Str("listen", le.addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		if path := sqlitePath(cfg); path != "" {
			if serving := sqlite.DaemonServing(path); serving != nil {
				log.Error().Err(servedByOther(serving, cfg.File)).Str("listen", le.addr).Msg("start")
				return startStatus(serving)
			}
		}
		other := addressOf(cfg.File, le.addr, env)
		ev = ev.Str("fix", fmt.Sprintf("another process listens on %s (ss -ltnp names it%s): stop it, or give syncd a free address (%s)",
			le.addr, other, le.setting))
		if other != "" { // two agencies' files on one address: a person gives one another
			ev.Msg("listen")
			return exitUsage
		}
	}
	ev.Msg("listen")
	return startStatus(err)
}
