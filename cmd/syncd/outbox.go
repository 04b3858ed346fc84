package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// cmdSync drains the outbox once now, as the schedule would; -resume
// first lifts a pause (after the operator fixed a rejected token).
func cmdSync(ctx context.Context, c *cli) int {
	fs := c.flags("sync")
	file := fs.String("config", defaultConfig, "configuration file")
	resume := fs.Bool("resume", false, "lift the adapter's pause first (e.g. once a rejected token is fixed)")
	if fs.Parse(c.args) != nil {
		return exitUsage
	}
	return c.withStore(ctx, *file, func(cfg *config.Config, db *backend) int {
		log := newLogger(c.stderr, cfg.Log.Level)
		adapter := newCRM(cfg, db, log, nil)
		s, err := newSyncer(cfg, db, adapter, log)
		if err != nil {
			return c.fail(err)
		}
		if *resume {
			if err := s.Resume(ctx); err != nil {
				return c.fail(err)
			}
		}
		sum, err := s.RunOnce(ctx)
		if err != nil {
			return c.fail(err)
		}
		fmt.Fprintf(c.stdout, "%s: %d claimed, %d done, %d retried later, %d dead, %d released, %d CRM calls\n",
			sum.Target, sum.Claimed, sum.Done, sum.Retried, sum.Dead, sum.Released, sum.Calls)
		if !sum.PausedUntil.IsZero() {
			fmt.Fprintf(c.stdout, "adapter paused until %s: %s\n", sum.PausedUntil.Format("2006-01-02 15:04:05Z07:00"), sum.PauseReason)
		}
		return exitOK
	})
}

// cmdOutbox inspects and revives outbox operations:
// outbox list [-state S] [-json], outbox show ID, outbox retry ID|-all-dead.
func cmdOutbox(ctx context.Context, c *cli) int {
	if len(c.args) == 0 {
		fmt.Fprintln(c.stderr, "usage: syncd outbox list|show|retry [flags]")
		return exitUsage
	}
	sub := c.args[0]
	fs := c.flags("outbox " + sub)
	file := fs.String("config", defaultConfig, "configuration file")
	switch sub {
	case "list":
		state := fs.String("state", "", "pending, done or dead (default all)")
		asJSON := fs.Bool("json", false, "print JSON lines")
		limit := fs.Int("limit", 100, "at most this many")
		if fs.Parse(c.args[1:]) != nil {
			return exitUsage
		}
		if *state != "" && *state != "pending" && *state != "done" && *state != "dead" {
			fmt.Fprintf(c.stderr, "syncd outbox list: -state %q is not pending, done or dead\n", *state)
			return exitUsage
		}
		return c.withStore(ctx, *file, func(_ *config.Config, db *backend) int {
			ops, err := db.ListOps(ctx, syncd.OpFilter{State: syncd.OpState(*state), Limit: *limit})
			if err != nil {
				return c.fail(err)
			}
			if err := syncer.PrintOps(c.stdout, ops, *asJSON); err != nil {
				return c.fail(err)
			}
			return exitOK
		})
	case "show":
		asJSON := fs.Bool("json", false, "print JSON")
		if fs.Parse(c.args[1:]) != nil || fs.NArg() != 1 {
			fmt.Fprintln(c.stderr, "usage: syncd outbox show [-config FILE] [-json] ID")
			return exitUsage
		}
		id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil {
			fmt.Fprintf(c.stderr, "syncd outbox show: %q is not an id\n", fs.Arg(0))
			return exitUsage
		}
		return c.withStore(ctx, *file, func(_ *config.Config, db *backend) int {
			op, err := db.GetOp(ctx, id)
			if err != nil {
				return c.fail(err)
			}
			if err := syncer.PrintOp(c.stdout, op, *asJSON); err != nil {
				return c.fail(err)
			}
			return exitOK
		})
	case "retry":
		return c.outboxRetry(ctx, fs, file)
	}
	fmt.Fprintf(c.stderr, "syncd outbox: unknown subcommand %q (list, show or retry)\n", sub)
	return exitUsage
}

func (c *cli) outboxRetry(ctx context.Context, fs *flag.FlagSet, file *string) int {
	all := fs.Bool("all-dead", false, "retry every dead operation")
	if fs.Parse(c.args[1:]) != nil || (*all == (fs.NArg() == 1)) {
		fmt.Fprintln(c.stderr, "usage: syncd outbox retry [-config FILE] ID|-all-dead")
		return exitUsage
	}
	return c.withStore(ctx, *file, func(cfg *config.Config, db *backend) int {
		if *all {
			n, err := db.RetryAllDeadOps(ctx, "")
			if err != nil {
				return c.fail(err)
			}
			fmt.Fprintf(c.stdout, "%d dead operation(s) pending again\n", n)
			return exitOK
		}
		id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil {
			fmt.Fprintf(c.stderr, "syncd outbox retry: %q is not an id\n", fs.Arg(0))
			return exitUsage
		}
		if err := db.RetryDeadOp(ctx, id); err != nil {
			return c.fail(err)
		}
		fmt.Fprintf(c.stdout, "operation %d pending again\n", id)
		return exitOK
	})
}
