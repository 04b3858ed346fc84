package main

import (
	"context"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// syncd backup works on the SQLite store only (PostgreSQL has its own
// backups); on PostgreSQL it refuses, saying so.

// openDB opens the SQLite database for a command that only reads (read-only
// where it cannot be written), refusing a configuration whose store
// is another; the status is exitOK when it opened, else the command's exit
// status, said.
func (c *cli) openDB(ctx context.Context, cfg *config.Config) (*sqlite.DB, int) {
	if cfg.Store.Kind != config.StoreSQLite {
		c.notSQLite(cfg)
		return nil, exitFailure
	}
	if err := existingDB(cfg.DBPath()); err != nil {
		return nil, c.failOpen(err)
	}
	c.db = cfg.DBPath()
	db, err := sqlite.Open(ctx, cfg.DBPath(), sqlite.Options{ReadOnlyFallback: true, AsIs: true}) // backup only reads, and copies an older schema as it is
	if err != nil {
		return nil, c.failOpen(err)
	}
	c.saidReadOnly(db.ReadOnly())
	return db, exitOK
}

// notSQLite says that c's command (backup, accept-restore…) works on the
// SQLite store only, and what backs up cfg's store instead.
func (c *cli) notSQLite(cfg *config.Config) {
	c.errorf("this command works on the SQLite store only; on %s use its own backups (pg_dump, base backups with WAL archiving)", cfg.Store.Kind)
}

// withDB opens the SQLite database of cfg and runs fn.
func (c *cli) withDB(ctx context.Context, cfg *config.Config, fn func(*config.Config, *sqlite.DB) int) int {
	db, code := c.openDB(ctx, cfg)
	if code != exitOK {
		return code
	}
	defer db.Close()
	return fn(cfg, db)
}
