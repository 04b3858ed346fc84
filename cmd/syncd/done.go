package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

const doneUsage = "usage: syncd events done [-config FILE] EVENT-ID [EVENT-ID...]\n" +
	"       syncd events done [-config FILE] -all | -before T [-dry-run]"

// eventsDone records unmappable leads as dealt with by an operator, at
// the operator's word: `events done [-config FILE] ID [ID...]`, or every
// one waiting for a person (-all), or those received before a time
// (-before). A lead a rule took but could not map is never sent to the
// CRM, and syncd status says so (exit 5) until a replay maps it or it is
// recorded here: entered in the CRM by hand, or found to be no lead. The
// event is kept as it is (events show gives dealt_at). Each ID is recorded
// on its own: the exit status is that of the last that failed, 0 when
// none did.
func (c *cli) eventsDone(ctx context.Context) int {
	fs := c.flags("events done")
	file := fs.String("config", defaultConfig, "configuration file")
	all := fs.Bool("all", false, "record every unmappable lead waiting for a person (received before now) as dealt with")
	before := fs.String("before", "", "record the unmappable leads waiting for a person received before `T` (RFC 3339, YYYY-MM-DD or a duration back)")
	dry := fs.Bool("dry-run", false, "with -all or -before: name the leads it would record, record none")
	err := parseFlags(fs, c.args)
	many := *all || *before != ""
	switch {
	case err == nil && many && fs.NArg() > 0:
		fmt.Fprintf(c.stderr, "syncd events done: -all and -before choose the leads: give no EVENT-ID beside them\n")
		return exitUsage
	case err == nil && *dry && !many:
		fmt.Fprintf(c.stderr, "syncd events done: -dry-run is for -all and -before (an id is recorded as named)\n")
		return exitUsage
	case err != nil || (!many && fs.NArg() == 0):
		wrongArgs(fs, err, "the ID of each unmappable lead dealt with (syncd status names them), or -all, or -before T")
		return c.flagsStatus(fs, err, doneUsage)
	}
	if many {
		return c.doneMany(ctx, *file, *before, *dry)
	}
	ids := make([]int64, 0, fs.NArg())
	for _, a := range fs.Args() {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil {
			fmt.Fprintf(c.stderr, "syncd events done: %q is not an id\n", a)
			return exitUsage
		}
		ids = append(ids, id)
	}
	return c.withWriter(ctx, *file, func(cfg *config.Config, db *backend) int {
		clk := clockOf(cfg)
		code := exitOK
		for _, id := range ids {
			ev, err := db.DealtWith(ctx, id)
			switch {
			case err != nil:
				code = c.fail(lostByRestore(ctx, db, sqlite.StateEventIDsSkipped, id, err))
			case !ev.DealtAt.IsZero():
				fmt.Fprintf(c.stdout, "event %d was recorded as dealt with already at %s\n", id, clk.show(ev.DealtAt))
			default:
				fmt.Fprintf(c.stdout, "event %d recorded as dealt with (entered in the CRM by hand, or no lead): "+
					"it no longer waits for a person, and syncd replay leaves it: syncd never sends it to the CRM\n", id)
			}
		}
		return code
	})
}

// doneMany records every unmappable lead waiting for a person received
// before the time before says (now when "") as dealt with, or with dry
// only names them. The leads are chosen as they wait when it runs: one
// mapped or recorded meanwhile by another is left, and counted.
func (c *cli) doneMany(ctx context.Context, file, before string, dry bool) int {
	return c.withWriter(ctx, file, func(cfg *config.Config, db *backend) int {
		clk := clockOf(cfg)
		now := time.Now()
		until, err := clk.since(before, now)
		if err != nil {
			fmt.Fprintf(c.stderr, "syncd events done: -before: %v\n", err)
			return exitUsage
		}
		if until.IsZero() || until.After(now) {
			until = now
		}
		var done, left []int64
		f := syncd.EventFilter{Unattended: true, Until: until, Limit: dismissPage}
		for {
			evs, err := db.Events(ctx, f)
			if err != nil {
				return c.fail(err)
			}
			for _, ev := range evs {
				f.AfterID = ev.ID
				if dry {
					done = append(done, ev.ID)
					continue
				}
				was, err := db.DealtWith(ctx, ev.ID)
				switch {
				case syncd.ErrorCode(err) == syncd.EInvalid || syncd.ErrorCode(err) == syncd.ENotFound || (err == nil && !was.DealtAt.IsZero()):
					left = append(left, ev.ID) // mapped, erased or recorded by another meanwhile
				case err != nil:
					c.sayDone(done, left, until, clk, false)
					return c.fail(err)
				default:
					done = append(done, ev.ID)
				}
			}
			if len(evs) < dismissPage {
				break
			}
		}
		c.sayDone(done, left, until, clk, dry)
		return exitOK
	})
}

// sayDone says what doneMany recorded (with dry, would record) of the
// leads received before until, and which it left.
func (c *cli) sayDone(done, left []int64, until time.Time, clk clock, dry bool) {
	if len(done) == 0 && len(left) == 0 {
		fmt.Fprintf(c.stdout, "no unmappable lead waits for a person (received before %s): nothing recorded\n", clk.show(until))
		return
	}
	verb, leads := "recorded as dealt with", fmt.Sprintf("%d unmappable leads", len(done))
	if dry {
		verb = "would record as dealt with"
	}
	if len(done) == 1 {
		leads = "1 unmappable lead"
	}
	fmt.Fprintf(c.stdout, "%s %s waiting for a person, received before %s (%s)", verb, leads, clk.show(until), eventIDs(done))
	switch {
	case dry:
		fmt.Fprintln(c.stdout, ": run it again without -dry-run to record them")
	case len(done) > 0:
		fmt.Fprintln(c.stdout, ": they no longer wait for a person (entered in the CRM by hand, or no lead), and syncd replay leaves them: syncd never sends them to the CRM")
	default:
		fmt.Fprintln(c.stdout)
	}
	if len(left) > 0 {
		fmt.Fprintf(c.stdout, "left %d mapped, erased or recorded by another command meanwhile (%s)\n", len(left), eventIDs(left))
	}
}

// eventIDs names event ids as namedIDs does, the others counted with
// where to see them.
func eventIDs(ids []int64) string {
	if len(ids) > dismissNamed {
		return fmt.Sprintf("ids %s and %d more: syncd events list", joinIDs(ids[:dismissNamed]), len(ids)-dismissNamed)
	}
	return namedIDs(ids)
}
