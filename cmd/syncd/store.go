package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// store is everything the daemon and the commands use from a store: the
// interfaces of the parts it feeds (each declared beside its consumer) and
// what the commands read. *sqlite.DB and *postgres.DB are both one.
type store interface {
	syncer.Store
	mapping.Store
	mapping.ReplayStore
	report.Store
	syncd.Links

	Ping(ctx context.Context) error
	Close() error
	LastSync(ctx context.Context, target string) (time.Time, error)
	OutboxDepths(ctx context.Context) ([]syncd.OutboxDepth, error)
	Event(ctx context.Context, id int64) (syncd.Event, error)
	Events(ctx context.Context, f syncd.EventFilter) ([]syncd.Event, error)
	CountEvents(ctx context.Context, f syncd.EventFilter) (int, error)
	QuarantinedBody(ctx context.Context, id int64) (syncd.Quarantine, error)
	Quarantined(ctx context.Context, since, until time.Time) ([]syncd.Quarantine, error)
	RepairQuarantined(ctx context.Context, id int64, inc syncd.Incoming, window time.Duration) (syncd.Receipt, error)
	GetOp(ctx context.Context, id int64) (syncd.Op, error)
	ListOps(ctx context.Context, f syncd.OpFilter) ([]syncd.Op, error)
	CountOps(ctx context.Context, f syncd.OpFilter) (int, error)
	RetryDeadOp(ctx context.Context, id int64) error
	RetryAllDeadOps(ctx context.Context, target string) (int, error)
	StateValue(ctx context.Context, name string) (string, bool, error)
	SetStateValue(ctx context.Context, name, value string) error
	InstalledAt(ctx context.Context) (time.Time, error)
	UnconfirmedCreates(ctx context.Context, target string, sentBefore time.Time) (int, error)
}

// Both stores are one; checked here, where they meet.
var (
	_ store  = (*sqlite.DB)(nil)
	_ intake = (*sqlite.Intake)(nil)
)

// intake is the receiver's store with the writer that commits it.
type intake interface {
	webhook.Store
	Run(ctx context.Context) error
	Ready(ctx context.Context) error // the store takes writes now (/readyz)
}

// backend is an open store with what differs between kinds: where it is
// (for logs, never a password) and how its intake is made.
type backend struct {
	store
	where     string
	newIntake func(cfg *config.Config) intake
	cluster   cluster // nil for a store of one instance
}

// storeHooks are what the daemon gives a store it opens; the zero value
// is a command's.
type storeHooks struct {
	Fresh   bool        // SQLite: create an empty database where one was lost
	OnError func(error) // failures callers only see as "unavailable"
	// OnLost: the SQLite file was removed under the running daemon.
	OnLost func(err error, where string)
}

// openBackend opens the configured store.
func openBackend(ctx context.Context, cfg *config.Config, h storeHooks) (*backend, error) {
	if cfg.Store.Kind == config.StorePostgres {
		return openPostgres(ctx, cfg, h.OnError)
	}
	name, err := storeName(cfg)
	if err != nil {
		return nil, err
	}
	db, err := sqlite.Open(ctx, cfg.DBPath(), sqlite.Options{Fresh: h.Fresh})
	if err != nil {
		return nil, err
	}
	db.OnError = h.OnError
	if h.OnLost != nil {
		db.OnLost = func(err error) { h.OnLost(err, db.Path()) }
	}
	return &backend{store: db, where: name, newIntake: func(cfg *config.Config) intake {
		return db.NewIntake(sqlite.IntakeOptions{MaxBatch: cfg.Intake.MaxBatch, Window: cfg.Intake.DedupWindow})
	}}, nil
}

// storeName names the configuration's database as the daemon announces
// it (syncd status checks that the daemon answering serves it): the SQLite
// file's absolute path, or PostgreSQL's host, port and database.
func storeName(cfg *config.Config) (string, error) {
	if cfg.Store.Kind == config.StorePostgres {
		return postgres.Where(cfg.Store.DSN)
	}
	return filepath.Abs(cfg.DBPath())
}

// withStore loads the configuration, opens its store and runs fn.
func (c *cli) withStore(ctx context.Context, file string, fn func(*config.Config, *backend) int) int {
	cfg, ok := c.loadConfig(file)
	if !ok {
		return exitUsage
	}
	b, err := openBackend(ctx, cfg, storeHooks{})
	if err != nil {
		fmt.Fprintf(c.stderr, "syncd: %v\n", err)
		return exitFailure
	}
	defer b.Close()
	return fn(cfg, b)
}
