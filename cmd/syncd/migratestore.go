package main

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// cmdMigrateStore copies an SQLite installation's data into the
// PostgreSQL store the configuration names (store: {kind: postgres}). The
// SQLite database is data_dir's, or -from; the daemon must be stopped.
func cmdMigrateStore(ctx context.Context, c *cli) int {
	fs := c.flags("migrate-store")
	file := fs.String("config", defaultConfig, "configuration file (its store: the PostgreSQL database to fill)")
	to := fs.String("to", "", "the store to copy into: postgres")
	from := fs.String("from", "", "the SQLite database to copy (default data_dir/syncd.db)")
	if err := parseOnlyFlags(fs, c.args, ""); err != nil {
		return c.flagsStatus(fs, err, migrateStoreExits()...)
	}
	if *to != config.StorePostgres {
		if *to == "" {
			fmt.Fprintln(c.stderr, "syncd migrate-store: -to postgres is required: the store it copies into (the only one)")
		} else {
			fmt.Fprintf(c.stderr, "syncd migrate-store: -to %s: it copies only into postgres\n", *to)
		}
		fmt.Fprintln(c.stderr, "usage: syncd migrate-store -to postgres [-config FILE] [-from syncd.db]")
		return exitUsage
	}
	cfg, ok := c.loadConfig(*file)
	if !ok {
		return exitUsage
	}
	if cfg.Store.Kind != config.StorePostgres {
		fmt.Fprintf(c.stderr, "syncd migrate-store: %s has store.kind %s: set store.kind postgres, and store.dsn or store.dsn_file to the database to copy into\n",
			*file, cfg.Store.Kind)
		return exitUsage
	}
	if *from == "" {
		*from = cfg.DBPath()
	}
	return c.copyStore(ctx, *from, cfg.Store.DSN, clockOf(cfg))
}

func (c *cli) copyStore(ctx context.Context, from, dsn string, clk clock) int {
	if err := existingDB(from); err != nil {
		return c.fail(err)
	}
	// Only read: a read-only snapshot will do. The daemon lock: leads a
	// daemon took after the copy would stay behind, never seen again.
	src, err := sqlite.Open(ctx, from, sqlite.Options{ReadOnlyFallback: true, Daemon: true, ContactKey: mapping.EmailKey})
	var serving *sqlite.ServingError
	if errors.As(err, &serving) {
		return c.fail(syncd.Errorf(syncd.EUnavailable, "a syncd daemon%s serves %s: stop it (systemctl stop syncd), "+
			"then run syncd migrate-store again (a lead it took after the copy would stay behind)", pidOf(serving.PID), from))
	}
	if err != nil {
		return c.fail(err)
	}
	defer src.Close()
	c.saidReadOnly(src.ReadOnly())
	if from, to := src.Migrated(); from > 0 && from != to { // an older syncd's, migrated as serve would
		c.errorf("database schema migrated %d -> %d: %s%s", from, to, keepUpgradeCopy(ctx, src), leadsNote(src.LeadsUpgraded(), false))
		for _, n := range keyClashNotes(src.KeyClashes()) {
			c.errorf("%s", n)
		}
	}
	dst, err := postgres.Open(ctx, dsn)
	if err != nil {
		return c.fail(err)
	}
	defer dst.Close()
	counts, err := dst.CopyFrom(ctx, src.Reader())
	var copied *postgres.CopiedError
	if errors.As(err, &copied) {
		return c.copiedBefore(from, dst.Where(), copied, clk)
	}
	if err != nil {
		return c.fail(err)
	}
	tables := make([]string, 0, len(counts))
	for t := range counts {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	fmt.Fprintf(c.stdout, "copied %s into %s:\n", from, dst.Where())
	for _, t := range tables {
		fmt.Fprintf(c.stdout, "  %-10s %s\n", t, syncd.Counted(int(counts[t]), "row", "rows"))
	}
	fmt.Fprintf(c.stdout, "%s still holds every lead, and nothing purges or erases it now: once the instances run "+
		"on PostgreSQL, delete it with its -wal and -shm\n", from)
	return exitOK
}

// pidOf is " (pid N)" for a message, "" for pid 0 (not known).
func pidOf(pid int) string {
	if pid == 0 {
		return ""
	}
	return fmt.Sprintf(" (pid %d)", pid)
}

// copiedBefore says what a run of migrate-store after a copy into the same
// database finds: the copy whole (exit 0: nothing to do), or the SQLite
// database changed since (exit 2: what it took since is not on
// PostgreSQL); the copy's time in report.time_zone, as every other
// command says a time (it was the machine's zone, most often UTC).
func (c *cli) copiedBefore(from, where string, e *postgres.CopiedError, clk clock) int {
	at := clk.show(e.At)
	since := ""
	if e.Since > 0 {
		since = fmt.Sprintf("; the instances have stored %s more there since", syncd.Counted(int(e.Since), "event", "events"))
	}
	if e.Same {
		fmt.Fprintf(c.stdout, "%s was copied into %s at %s (%s), and it holds nothing the copy did not bring: "+
			"nothing to copy again%s. Start the instances; once they run, delete %s with its -wal and -shm\n",
			from, where, at, postgres.Rows(e.Then), since, from)
		return exitOK
	}
	fmt.Fprintf(c.stderr, "syncd migrate-store: %s was copied into %s at %s, and it changed since (copied: %s; now: %s): "+
		"a syncd ran on it after the copy (the daemon started again, syncd sync), and what it received or sent since "+
		"is not on PostgreSQL%s. Nothing copied: the copy goes into an empty database only. Stop what runs on %s; "+
		"if no instance has run on PostgreSQL since, create the database again empty (dropdb, createdb -O ROLE) "+
		"and run syncd migrate-store again; else keep %s, which alone holds those leads\n",
		from, where, at, postgres.Rows(e.Then), postgres.Rows(e.Now), since, from, from)
	return exitUsage
}
