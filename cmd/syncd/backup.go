package main

import (
	"context"
	"fmt"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// cmdBackup writes a consistent copy of the database, safe beside a
// running daemon: backup -out FILE.
func cmdBackup(ctx context.Context, c *cli) int {
	fs := c.flags("backup")
	file := fs.String("config", defaultConfig, "configuration file")
	out := fs.String("out", "", "the backup file to write (replaced atomically)")
	if err := parseOnlyFlags(fs, c.args, ""); err != nil {
		return c.flagsStatus(fs, err)
	}
	if *out == "" {
		fmt.Fprintln(c.stderr, "syncd backup: -out FILE is required")
		return exitUsage
	}
	return c.withDB(ctx, *file, func(_ *config.Config, db *sqlite.DB) int {
		if err := db.Backup(ctx, *out); err != nil {
			return c.fail(err)
		}
		fmt.Fprintln(c.stdout, *out)
		return exitOK
	})
}
