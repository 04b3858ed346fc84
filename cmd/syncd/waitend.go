package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// waitEnd is an `events` command that ends, at an operator's word, the
// wait of records waiting for a person (events done, events dismiss): its
// own words and store calls. run gives both the same flags (ids, or -all,
// -before and -dry-run), the same loop over ids and the same page-by-page
// walk of the waiting ones.
type waitEnd struct {
	cmd, usage string          // "events done"; the usage lines
	exits      func() []string // the lines of its exit statuses
	// The flags' help, and what a wrong use is told.
	allHelp, beforeHelp, dryHelp  string
	idsBeside, dryAlone, argsHint string
	lister                        string // the command that lists the ids it takes
	skipped                       string // the state value naming ids a restore lost

	// end ends one record's wait; a non-zero at is when it had ended already.
	end func(ctx context.Context, db *backend, id int64) (at time.Time, err error)
	// waiting reads a page of the ids of records waiting for a person.
	waiting func(ctx context.Context, db *backend, f syncd.EventFilter) ([]int64, error)

	// What one id given by the operator is told.
	already func(id int64, at string) string
	ended   func(id int64) string

	// What -all and -before are told: none waited, what was ended (would
	// be, with -dry-run) and what another command ended meanwhile.
	none, verb, wouldVerb, one, many, dryTail, endedTail, left string
	ids                                                        func([]int64) string
	// dryTailOne and endedTailOne are dryTail and endedTail of one record
	// (said "their bodies dropped" of one body).
	dryTailOne, endedTailOne string

	// spare, when set (events dismiss), says why a record is left waiting
	// unless the operator gives the flag spareFlag ("" when it is not):
	// one id is refused, exit 2, saying so with spared; -all and -before
	// leave them, said by leftSpared (of their ids).
	spare                func(ctx context.Context, cfg *config.Config, db *backend, id int64) (string, error)
	spareFlag, spareHelp string
	spared               func(id int64, why string) string
	leftSpared           func(ids []int64) string
}

// waitPage is how many waiting records runMany reads at a time.
const waitPage = 500

// run parses the command's flags and ends the wait of the ids given, or
// with -all or -before of the records waiting then. Each id is ended on its
// own: the exit status is that of the last that failed, 0 when none did.
func (w *waitEnd) run(ctx context.Context, c *cli) int {
	fs := c.flags(w.cmd)
	file := fs.String("config", defaultConfig, "configuration file")
	all := fs.Bool("all", false, w.allHelp)
	before := fs.String("before", "", w.beforeHelp)
	dry := fs.Bool("dry-run", false, w.dryHelp)
	force := new(bool)
	if w.spareFlag != "" {
		force = fs.Bool(w.spareFlag, false, w.spareHelp)
	}
	err := parseFlags(fs, c.args)
	many := *all || *before != ""
	switch {
	case err == nil && *all && *before != "":
		fmt.Fprintf(c.stderr, "syncd %s: give -all or -before T, not both: -all takes every one waiting for a person, "+
			"-before T only those received before T\n", w.cmd)
		return exitUsage
	case err == nil && many && fs.NArg() > 0:
		fmt.Fprintf(c.stderr, "syncd %s: %s\n", w.cmd, w.idsBeside)
		return exitUsage
	case err == nil && *dry && !many:
		fmt.Fprintf(c.stderr, "syncd %s: %s\n", w.cmd, w.dryAlone)
		return exitUsage
	case err != nil || (!many && fs.NArg() == 0):
		wrongArgs(fs, err, w.argsHint)
		return c.flagsStatus(fs, err, append([]string{w.usage}, w.exits()...)...)
	}
	if many {
		return w.runMany(ctx, c, *file, *before, *dry, *force)
	}
	ids := make([]int64, 0, fs.NArg())
	for _, a := range fs.Args() {
		id, ok := parseID(c.stderr, w.cmd, a, w.lister)
		if !ok {
			return exitUsage
		}
		ids = append(ids, id)
	}
	return c.withWriter(ctx, *file, func(cfg *config.Config, db *backend) int {
		clk := clockOf(cfg)
		code := exitOK
		for _, id := range ids {
			why, err := w.spareWhy(ctx, cfg, db, id, *force)
			if err != nil {
				code = c.fail(lostByRestore(ctx, clockOf(cfg), db, w.skipped, id, err))
				continue
			}
			if why != "" {
				fmt.Fprintf(c.stderr, "syncd %s: %s\n", w.cmd, w.spared(id, why))
				code = exitUsage
				continue
			}
			at, err := w.end(ctx, db, id)
			switch {
			case err != nil:
				code = c.fail(lostByRestore(ctx, clockOf(cfg), db, w.skipped, id, err))
			case !at.IsZero():
				fmt.Fprintln(c.stdout, w.already(id, clk.show(at)))
			default:
				fmt.Fprintln(c.stdout, w.ended(id))
			}
		}
		return code
	})
}

// spareWhy says why record id is left waiting (see waitEnd.spare): "" when
// the command has no such rule or force (its flag) overrides it.
func (w *waitEnd) spareWhy(ctx context.Context, cfg *config.Config, db *backend, id int64, force bool) (string, error) {
	if w.spare == nil || force {
		return "", nil
	}
	return w.spare(ctx, cfg, db, id)
}

// runMany ends the wait of every record waiting for a person received
// before the time before says (now when ""), or with dry only names them;
// those spare spares are left, unless force.
// The records are chosen as they wait when it runs: one ended meanwhile by
// another command (or no longer waiting: mapped, repaired, erased) is
// left, and counted.
func (w *waitEnd) runMany(ctx context.Context, c *cli, file, before string, dry, force bool) int {
	return c.withWriter(ctx, file, func(cfg *config.Config, db *backend) int {
		clk := clockOf(cfg)
		now := time.Now()
		until, err := clk.since(before, now)
		if err != nil {
			fmt.Fprintf(c.stderr, "syncd %s: -before: %v\n", w.cmd, err)
			return exitUsage
		}
		if until.IsZero() || until.After(now) {
			until = now
		}
		var done, left, spared []int64
		f := syncd.EventFilter{Until: until, Limit: waitPage}
		for {
			ids, err := w.waiting(ctx, db, f)
			if err != nil {
				return c.fail(err)
			}
			for _, id := range ids {
				f.AfterID = id
				why, err := w.spareWhy(ctx, cfg, db, id, force)
				if err != nil {
					return c.fail(err)
				}
				if why != "" {
					spared = append(spared, id)
					continue
				}
				if dry {
					done = append(done, id)
					continue
				}
				at, err := w.end(ctx, db, id)
				switch {
				case syncd.ErrorCode(err) == syncd.EInvalid || syncd.ErrorCode(err) == syncd.ENotFound || (err == nil && !at.IsZero()):
					left = append(left, id)
				case err != nil:
					w.say(c, done, left, spared, until, clk, false)
					return c.fail(err)
				default:
					done = append(done, id)
				}
			}
			if len(ids) < waitPage {
				break
			}
		}
		w.say(c, done, left, spared, until, clk, dry)
		return exitOK
	})
}

// say says what runMany ended (with dry, would end) of the records
// received before until, and which it left: ended meanwhile, or spared.
func (w *waitEnd) say(c *cli, done, left, spared []int64, until time.Time, clk clock, dry bool) {
	if len(spared) > 0 {
		defer fmt.Fprintln(c.stdout, w.leftSpared(spared))
		if len(done) == 0 && len(left) == 0 {
			return
		}
	}
	if len(done) == 0 && len(left) == 0 {
		fmt.Fprintf(c.stdout, w.none+"\n", clk.show(until))
		return
	}
	verb, what := w.verb, fmt.Sprintf(w.many, len(done))
	if dry {
		verb = w.wouldVerb
	}
	if len(done) == 1 {
		what = w.one
	}
	fmt.Fprintf(c.stdout, "%s %s waiting for a person, received before %s (%s)", verb, what, clk.show(until), w.ids(done))
	dryTail, endedTail := w.dryTail, w.endedTail
	if len(done) == 1 {
		dryTail, endedTail = w.dryTailOne, w.endedTailOne
	}
	switch {
	case dry:
		fmt.Fprintln(c.stdout, dryTail)
	case len(done) > 0:
		fmt.Fprintln(c.stdout, endedTail)
	default:
		fmt.Fprintln(c.stdout)
	}
	if len(left) > 0 {
		fmt.Fprintf(c.stdout, w.left+"\n", len(left), w.ids(left))
	}
}

// waitNamed is how many ids runMany names; the others are counted.
const waitNamed = 20

// namedIDs names ids, "id N" or "ids N, M", the first waitNamed of them,
// the others counted with the command that lists them (more); "none" when
// there is none.
func namedIDs(ids []int64, more string) string {
	switch {
	case len(ids) == 0:
		return "none"
	case len(ids) == 1:
		return "id " + strconv.FormatInt(ids[0], 10)
	case len(ids) > waitNamed:
		return fmt.Sprintf("ids %s and %d more: %s", joinIDs(ids[:waitNamed]), len(ids)-waitNamed, more)
	}
	return "ids " + joinIDs(ids)
}
