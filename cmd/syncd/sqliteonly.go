package main

import (
	"context"
	"fmt"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// The commands of personal data (erase, export, backup, purge) work on
// the SQLite store only for now; on PostgreSQL they refuse, saying so.

// openDB opens the SQLite database, refusing a configuration whose store
// is another.
func (c *cli) openDB(ctx context.Context, cfg *config.Config) (*sqlite.DB, bool) {
	if cfg.Store.Kind != config.StoreSQLite {
		fmt.Fprintf(c.stderr, "syncd: this command works on the SQLite store only, not yet on %s\n", cfg.Store.Kind)
		return nil, false
	}
	if err := existingDB(cfg.DBPath()); err != nil {
		fmt.Fprintf(c.stderr, "syncd: %v\n", err)
		return nil, false
	}
	db, err := sqlite.Open(ctx, cfg.DBPath(), sqlite.Options{})
	if err != nil {
		fmt.Fprintf(c.stderr, "syncd: %v\n", err)
		return nil, false
	}
	return db, true
}

// withDB loads the configuration, opens the SQLite database and runs fn.
func (c *cli) withDB(ctx context.Context, file string, fn func(*config.Config, *sqlite.DB) int) int {
	cfg, ok := c.loadConfig(file)
	if !ok {
		return exitUsage
	}
	db, ok := c.openDB(ctx, cfg)
	if !ok {
		return exitFailure
	}
	defer db.Close()
	return fn(cfg, db)
}

// purger returns the daily retention purge of the daemon's store; nil on
// PostgreSQL, where it is not there yet (which is logged at start).
func (d *daemon) purger(cfg *config.Config) func(context.Context) {
	db, ok := d.db.store.(*sqlite.DB)
	if !ok {
		d.log.Warn().Msg("retention purge: not implemented on the PostgreSQL store yet; data is kept")
		return nil
	}
	p := &purger{db: db, keep: retentionOf(cfg.Retention), log: d.log}
	return p.afterReport
}
