package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/rs/zerolog"
	"github.com/rs/zerolog/journald"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// defaultConfig is used when -config is not given.
const defaultConfig = "configs/syncd.example.yaml"

// flags returns a FlagSet for a command that writes its errors to stderr.
func (c *cli) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("syncd "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	return fs
}

// loadConfig loads the configuration, printing every problem on failure.
func (c *cli) loadConfig(file string) (*config.Config, bool) {
	cfg, err := config.Load(file, c.getenv)
	if err != nil {
		var ps config.Problems
		if errors.As(err, &ps) {
			fmt.Fprintf(c.stderr, "%s: %d problem(s):\n%s\n", file, len(ps), ps)
		} else {
			fmt.Fprintf(c.stderr, "syncd: %v\n", err)
		}
		return nil, false
	}
	return cfg, true
}

// openDB opens the SQLite database, for the commands that work on SQLite's
// file only; every other command opens the configured store (withStore).
func (c *cli) openDB(ctx context.Context, cfg *config.Config) (*sqlite.DB, bool) {
	if cfg.Store.Kind != config.StoreSQLite {
		fmt.Fprintf(c.stderr, "syncd: this command works on the SQLite store only, not on %s\n", cfg.Store.Kind)
		return nil, false
	}
	db, err := sqlite.Open(ctx, cfg.DBPath(), sqlite.Options{})
	if err != nil {
		fmt.Fprintf(c.stderr, "syncd: %v\n", err)
		return nil, false
	}
	return db, true
}

// daemonLogger is the daemon's logger: JSON lines on w, or, with journald
// set, entries sent to journald with each field as a journal field.
func daemonLogger(w io.Writer, cfg *config.Config) zerolog.Logger {
	if cfg.Log.Journald {
		w = journald.NewJournalDWriter()
	}
	return newLogger(w, cfg.Log.Level)
}

// newLogger returns a logger writing zerolog JSON on w.
func newLogger(w io.Writer, level string) zerolog.Logger {
	lvl, err := zerolog.ParseLevel(strings.ToLower(level))
	if err != nil || level == "" {
		lvl = zerolog.InfoLevel
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger()
}

// sources converts the configured sources for the receiver.
func sources(cfg *config.Config) []webhook.Source {
	var out []webhook.Source
	for _, name := range cfg.SourceNames() {
		s := cfg.Sources[name]
		src := webhook.Source{
			Name: name, Kind: syncd.Kind(s.Kind), Tokens: s.Tokens,
			BasicUser: s.BasicAuth.Username, BasicPass: s.BasicAuth.Password,
		}
		for _, p := range s.AllowIPs {
			pfx, _ := config.ParsePrefix(p) // validated on load
			src.AllowIPs = append(src.AllowIPs, pfx)
		}
		out = append(out, src)
	}
	return out
}

func prefixes(cidrs []string) []netip.Prefix {
	var out []netip.Prefix
	for _, p := range cidrs {
		pfx, _ := config.ParsePrefix(p) // validated on load
		out = append(out, pfx)
	}
	return out
}

// withDB loads the configuration, opens the database and runs fn.
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

// fail prints err and returns exitFailure.
func (c *cli) fail(err error) int {
	fmt.Fprintf(c.stderr, "syncd: %v\n", err)
	return exitFailure
}
