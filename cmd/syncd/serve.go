package main

import (
	"context"
	"net"
	"sync"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// cmdServe runs the daemon until SIGINT or SIGTERM: it stops accepting,
// lets requests in flight finish their commits, closes the database and
// exits 0.
func cmdServe(ctx context.Context, c *cli) int {
	fs := c.flags("serve")
	file := fs.String("config", defaultConfig, "configuration file")
	if fs.Parse(c.args) != nil {
		return exitUsage
	}
	cfg, ok := c.loadConfig(*file)
	if !ok {
		return exitUsage
	}
	log := newLogger(c.stdout, cfg.Log.Level)
	db, ok := c.openDB(ctx, cfg)
	if !ok {
		return exitFailure
	}
	defer db.Close()
	db.OnError = func(err error) { log.Error().Err(err).Msg("store") }
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		log.Error().Err(err).Str("listen", cfg.Listen).Msg("listen")
		return exitFailure
	}
	d := &daemon{cfg: cfg, db: db, log: log}
	if err := d.run(ctx, ln); err != nil {
		log.Error().Err(err).Msg("serve")
		return exitFailure
	}
	log.Info().Msg("stopped")
	return exitOK
}

// daemon is the running service: the parts and the order they stop in.
type daemon struct {
	cfg *config.Config
	db  *sqlite.DB
	log zerolog.Logger
}

// run serves until ctx ends. The HTTP server stops first (waiting for the
// requests in flight, each waiting for its commit), then the intake writer
// commits whatever is still queued, then the background workers stop.
func (d *daemon) run(ctx context.Context, ln net.Listener) error {
	intake := d.db.NewIntake(sqlite.IntakeOptions{MaxBatch: d.cfg.Intake.MaxBatch})
	recv := webhook.New(webhook.Options{
		Store:          intake,
		Sources:        sources(d.cfg),
		TrustedProxies: prefixes(d.cfg.HTTP.TrustedProxies),
		MaxBodyBytes:   d.cfg.HTTP.MaxBodyBytes,
		Log:            d.log,
		Ready:          d.db.Ping,
	})
	h := d.cfg.HTTP
	srv := webhook.NewServer(recv.Handler(), webhook.ServerOptions{
		ReadHeaderTimeout: h.ReadHeaderTimeout, ReadTimeout: h.ReadTimeout,
		WriteTimeout: h.WriteTimeout, IdleTimeout: h.IdleTimeout, MaxHeaderBytes: h.MaxHeaderBytes,
	})

	intakeCtx, stopIntake := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); intake.Run(intakeCtx) }()

	d.log.Info().Str("listen", ln.Addr().String()).Str("db", d.db.Path()).
		Int("sources", len(d.cfg.Sources)).Str("crm", d.cfg.CRM.Kind).Msg("serving")
	err := srv.Run(ctx, ln)
	stopIntake()
	wg.Wait()
	return err
}
