package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// cmdAcceptRestore takes an SQLite database that serve refuses as moved
// without its daemon's write-ahead log (sqlite.WALLeftBehind: a Litestream
// restore, a cp of a running daemon's file put back) for a restored backup,
// as serve -wal-lost does, without serving it: the service as installed
// then starts on it (systemctl start syncd), where serve -wal-lost had to
// be run by hand, as another user than the service's, and stopped again.
// It says what it did and what the next start does; a database serve
// would start on as it is is left alone. Stopped before it finished (a
// kill, a power cut: see sqlite.ErrAcceptInterrupted), the file is
// refused until it runs again, which finishes it and says so.
func cmdAcceptRestore(ctx context.Context, c *cli) int {
	fs := c.flags("accept-restore")
	file := fs.String("config", defaultConfig, "configuration file")
	if err := parseOnlyFlags(fs, c.args, ""); err != nil {
		return c.flagsStatus(fs, err, append([]string{
			"takes the SQLite database that serve refuses as moved or copied without the write-ahead log of the syncd",
			"that served it (a Litestream restore, a cp of a running daemon's file) for a restored backup, as serve",
			"-wal-lost does, without serving it: then start syncd as usual (systemctl start syncd)."},
			exitHelp(exitMeaning{exitOK, "done, or nothing to do (said)"}, exitMeaning{exitFailure, "it could not"},
				exitMeaning{exitUsage, "bad flags, an invalid configuration or a PostgreSQL store"},
				exitMeaning{exitUnavailable, "a daemon serves the database, or it is busy: try again"})...)...)
	}
	cfg, ok := c.loadReaderConfig(*file)
	if !ok {
		return exitUsage
	}
	if cfg.Store.Kind == config.StorePostgres {
		fmt.Fprintln(c.stderr, "syncd accept-restore: the configuration's store is PostgreSQL, whose restores (pg_restore, a base "+
			"backup) need nothing of syncd: it is for an SQLite database that serve refuses without its write-ahead log")
		return exitUsage
	}
	path := cfg.DBPath()
	if err := existingDB(path); err != nil {
		return c.fail(err)
	}
	var serving *sqlite.ServingError
	if err := sqlite.DaemonServing(path); errors.As(err, &serving) {
		pid := ""
		if serving.PID != 0 {
			pid = fmt.Sprintf(" (pid %d)", serving.PID)
		}
		fmt.Fprintf(c.stderr, "syncd accept-restore: a syncd daemon%s serves %s: stop it first (systemctl stop syncd); "+
			"nothing changed\n", pid, path)
		return exitUnavailable
	}
	if err := sqlite.ForeignWAL(path); err != nil {
		return c.fail(err) // the restore steps' rm -f comes first
	}
	left := sqlite.WALLeftBehind(path)
	if left == nil {
		fmt.Fprintf(c.stdout, "nothing to accept: %s is not refused for a lost write-ahead log (syncd stopped cleanly on it, "+
			"syncd backup made it, or its -wal is beside it); nothing changed: start syncd as usual\n", path)
		return exitOK
	}
	return c.withStoreHooks(ctx, *file, storeHooks{NoSecrets: true, WALLost: true}, func(cfg *config.Config, b *backend) int {
		db, ok := b.store.(*sqlite.DB)
		if !ok {
			return c.fail(errors.New("accept-restore: not an SQLite store"))
		}
		taken, _, err := restoreState(ctx, db)
		if err != nil {
			return c.fail(err)
		}
		clk := clockOf(cfg)
		if errors.Is(left, sqlite.ErrAcceptInterrupted) {
			fmt.Fprintf(c.stdout, "finished the accept-restore of %s that was stopped before it finished (%s-accepting "+
				"was beside it; now removed)\n", path, path)
		}
		fmt.Fprintf(c.stdout, "accepted %s as a restored backup: the write-ahead log of the syncd that served it is lost, and with "+
			"it what that syncd stored after its last checkpoint\n", path)
		fmt.Fprintf(c.stdout, "taken for a backup taken at %s, the newest thing it holds\n", clk.show(taken))
		fmt.Fprintln(c.stdout, "next start (systemctl start syncd): it starts on it as on a restored backup, purging what the "+
			"retention no longer keeps and erasing again whom the erasure log beside it says was erased since, before it maps, "+
			"sends or reports anything; syncd status says so, then 'restored from a backup taken at ...' for a week "+
			"(see Backup in the README)")
		return exitOK
	})
}
