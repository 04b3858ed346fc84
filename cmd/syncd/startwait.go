package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/metrics"
	"github.com/syncd-dev/syncd/internal/postgres"
)

// startWait answers on the daemon's listeners while it waits at start for
// its database (newDaemonWhenReachable). The port was held and nothing
// answered on it: `syncd status` said "no syncd answers (context deadline
// exceeded)" of a daemon that was up and waiting, and each delivery hung
// until its sender gave up. Now /metrics says since when the daemon
// waits and why (metrics.NameStartWaiting), /readyz answers 503, and so
// does every delivery, with Retry-After, as while the database is down
// under a running daemon.
type startWait struct {
	metrics *metrics.Metrics
	since   time.Time
	servers []*http.Server
	lent    []*lentListener
	done    sync.WaitGroup
}

// waitRetryAfter is the Retry-After of a delivery answered 503 while the
// daemon waits, in seconds: as the receiver's.
const waitRetryAfter = "30"

// startWaiting begins answering on ln and metricsLn (nil: none of its own)
// as the daemon waits for the database of cfg, which failed with err; a
// listener that cannot be lent and taken back is left unanswered.
func startWaiting(cfg *config.Config, log zerolog.Logger, ln, metricsLn net.Listener, err error) *startWait {
	w := &startWait{metrics: metrics.New(binaryVersion()), since: time.Now()}
	where, _ := storeName(cfg)
	w.metrics.DaemonStarted(where, os.Getpid(), w.since)
	w.failed(err)
	hooks := w.handler(metricsLn == nil)
	w.serve(ln, hooks, log)
	if metricsLn != nil {
		w.serve(metricsLn, w.handler(true), log)
	}
	return w
}

// failed records the last reason the database was not reached.
func (w *startWait) failed(err error) {
	w.metrics.StartWaiting(w.since, postgres.Plainly(err))
}

// handler answers /metrics (withMetrics) and 503 to everything else.
func (w *startWait) handler(withMetrics bool) http.Handler {
	m := w.metrics.Handler()
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if withMetrics && r.URL.Path == "/metrics" {
			m.ServeHTTP(rw, r)
			return
		}
		rw.Header().Set("Retry-After", waitRetryAfter)
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(http.StatusServiceUnavailable)
		json.NewEncoder(rw).Encode(map[string]string{"status": "unavailable", "error": "starting: waiting for the database to answer"})
	})
}

// serve answers h on ln, lent until stop.
func (w *startWait) serve(ln net.Listener, h http.Handler, log zerolog.Logger) {
	l, ok := lend(ln)
	if !ok {
		return
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 10 * time.Second, IdleTimeout: time.Second}
	w.servers, w.lent = append(w.servers, srv), append(w.lent, l)
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		if err := srv.Serve(l); err != nil && err != http.ErrServerClosed {
			log.Warn().Err(err).Msg("start: answering while waiting for the database")
		}
	}()
}

// stop ends the answers and gives the listeners back, for the daemon to
// serve on: connections waiting on them are the daemon's.
func (w *startWait) stop() {
	if w == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, s := range w.servers {
		s.Shutdown(ctx)
	}
	w.done.Wait()
	for _, l := range w.lent {
		l.giveBack()
	}
}

// deadliner is a listener whose Accept can be woken: TCP and Unix ones.
type deadliner interface {
	SetDeadline(t time.Time) error
}

// lentListener is a listener lent to a server: its Close wakes the
// server's Accept with an error and leaves it open, for the daemon to
// serve on afterwards.
type lentListener struct {
	net.Listener
	closed atomic.Bool
}

// lend lends ln; false when its Accept cannot be woken.
func lend(ln net.Listener) (*lentListener, bool) {
	if _, ok := ln.(deadliner); !ok {
		return nil, false
	}
	return &lentListener{Listener: ln}, true
}

// Accept accepts on the listener until Close.
func (l *lentListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil && l.closed.Load() {
		return nil, net.ErrClosed
	}
	return c, err
}

// Close wakes Accept and leaves the listener open.
func (l *lentListener) Close() error {
	l.closed.Store(true)
	return l.Listener.(deadliner).SetDeadline(time.Unix(1, 0))
}

// giveBack makes the listener accept as before Close.
func (l *lentListener) giveBack() {
	l.Listener.(deadliner).SetDeadline(time.Time{})
}
