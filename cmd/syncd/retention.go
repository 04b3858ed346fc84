package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// retentionOf is the configured retention as the store takes it.
func retentionOf(r config.Retention) syncd.Retention {
	days := func(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }
	return syncd.Retention{Events: days(r.EventDays), Quarantine: days(r.QuarantineDays),
		Outbox: days(r.OutboxDays), Links: days(r.LinkDays), Intents: days(r.OutboxDays)}
}

// purger runs the retention purge at most once a day, after a report is
// recorded (the report of a day is made from its data first).
type purger struct {
	db   *sqlite.DB
	keep syncd.Retention
	log  zerolog.Logger

	mu   sync.Mutex
	last string // the UTC date of the last purge
}

// afterReport purges, unless it already did today. Failures are logged:
// the next report tries again.
func (p *purger) afterReport(ctx context.Context) {
	p.mu.Lock()
	defer p.mu.Unlock()
	today := p.db.Now().UTC().Format(time.DateOnly)
	if p.last == today {
		return
	}
	start := time.Now()
	res, err := p.db.Purge(ctx, p.keep)
	if err != nil {
		p.log.Error().Err(err).Msg("retention purge")
		return
	}
	p.last = today
	p.log.Info().Int("events", res.Events).Int("quarantined", res.Quarantined).Int("ops", res.Ops).
		Int("links", res.Links).Int("intents", res.Intents).Int64("took_ms", time.Since(start).Milliseconds()).Msg("retention purge")
}

// cmdPurge runs the retention purge now: purge. Safe beside a running
// daemon, which also runs it daily after the report.
func cmdPurge(ctx context.Context, c *cli) int {
	fs := c.flags("purge")
	file := fs.String("config", defaultConfig, "configuration file")
	if parseFlags(fs, c.args) != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "syncd purge: unexpected argument %q: it takes only -config; what it keeps is the configuration's retention:\n", fs.Arg(0))
		return exitUsage
	}
	return c.withDB(ctx, *file, func(cfg *config.Config, db *sqlite.DB) int {
		res, err := db.Purge(ctx, retentionOf(cfg.Retention))
		if err != nil {
			return c.fail(err)
		}
		fmt.Fprintf(c.stdout, "purged: %d event bodies, %d quarantined bodies, %d outbox operations, %d CRM links, %d CRM create intents\n",
			res.Events, res.Quarantined, res.Ops, res.Links, res.Intents)
		return exitOK
	})
}
