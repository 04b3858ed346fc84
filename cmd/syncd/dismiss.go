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

const dismissUsage = "usage: syncd events dismiss [-config FILE] QUARANTINE-ID [QUARANTINE-ID...]\n" +
	"       syncd events dismiss [-config FILE] -all | -before T [-dry-run]"

// eventsDismiss sets quarantined bodies aside as no lead, at the
// operator's word: `events dismiss [-config FILE] ID [ID...]`, or every
// body waiting for a person (-all), or those received before a time
// (-before). A port scanner's garbage or a test ping cannot be repaired
// into an event, and waited for a person (syncd status, exit 5) with no
// way out; dismissed, it is kept for the record (events list
// -quarantined), its body dropped as the retention drops it. Each ID is
// dismissed on its own: the exit status is that of the last that failed,
// 0 when none did.
func (c *cli) eventsDismiss(ctx context.Context) int {
	fs := c.flags("events dismiss")
	file := fs.String("config", defaultConfig, "configuration file")
	all := fs.Bool("all", false, "dismiss every quarantined body waiting for a person (received before now)")
	before := fs.String("before", "", "dismiss the bodies waiting for a person received before `T` (RFC 3339, YYYY-MM-DD or a duration back)")
	dry := fs.Bool("dry-run", false, "with -all or -before: name the bodies it would dismiss, dismiss none")
	err := parseFlags(fs, c.args)
	many := *all || *before != ""
	switch {
	case err == nil && many && fs.NArg() > 0:
		fmt.Fprintf(c.stderr, "syncd events dismiss: -all and -before choose the bodies: give no QUARANTINE-ID beside them\n")
		return exitUsage
	case err == nil && *dry && !many:
		fmt.Fprintf(c.stderr, "syncd events dismiss: -dry-run is for -all and -before (an id is dismissed as named)\n")
		return exitUsage
	case err != nil || (!many && fs.NArg() == 0):
		wrongArgs(fs, err, "the ID of each quarantined body to dismiss (syncd events list -quarantined), or -all, or -before T")
		return c.flagsStatus(fs, err, dismissUsage)
	}
	if many {
		return c.dismissMany(ctx, *file, *before, *dry)
	}
	ids := make([]int64, 0, fs.NArg())
	for _, a := range fs.Args() {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil {
			fmt.Fprintf(c.stderr, "syncd events dismiss: %q is not an id\n", a)
			return exitUsage
		}
		ids = append(ids, id)
	}
	return c.withWriter(ctx, *file, func(cfg *config.Config, db *backend) int {
		clk := clockOf(cfg)
		code := exitOK
		for _, id := range ids {
			q, err := db.DismissQuarantined(ctx, id)
			switch {
			case err != nil:
				code = c.fail(lostByRestore(ctx, db, sqlite.StateQuarantineIDsSkipped, id, err))
			case !q.DismissedAt.IsZero():
				fmt.Fprintf(c.stdout, "quarantined body %d was dismissed already at %s\n", id, clk.show(q.DismissedAt))
			default:
				fmt.Fprintf(c.stdout, "quarantined body %d dismissed: kept for the record (syncd events list -quarantined), "+
					"its body dropped; it no longer waits for a person\n", id)
			}
		}
		return code
	})
}

// dismissPage is how many waiting bodies dismissMany reads at a time.
const dismissPage = 500

// dismissMany dismisses every quarantined body waiting for a person
// received before the time before says (now when ""), or with dry only
// names them. The bodies are chosen as they wait when it runs: one
// quarantined meanwhile is received after now and left, one repaired or
// dismissed meanwhile by another is not dismissed (again), and counted.
func (c *cli) dismissMany(ctx context.Context, file, before string, dry bool) int {
	return c.withWriter(ctx, file, func(cfg *config.Config, db *backend) int {
		clk := clockOf(cfg)
		now := time.Now()
		until, err := clk.since(before, now)
		if err != nil {
			fmt.Fprintf(c.stderr, "syncd events dismiss: -before: %v\n", err)
			return exitUsage
		}
		if until.IsZero() || until.After(now) {
			until = now
		}
		var done, left []int64
		f := syncd.EventFilter{Waiting: true, Until: until, Limit: dismissPage}
		for {
			qs, err := db.Quarantined(ctx, f)
			if err != nil {
				return c.fail(err)
			}
			for _, q := range qs {
				f.AfterID = q.ID
				if dry {
					done = append(done, q.ID)
					continue
				}
				was, err := db.DismissQuarantined(ctx, q.ID)
				switch {
				case syncd.ErrorCode(err) == syncd.EInvalid || syncd.ErrorCode(err) == syncd.ENotFound || (err == nil && !was.DismissedAt.IsZero()):
					left = append(left, q.ID) // repaired, erased or dismissed by another meanwhile
				case err != nil:
					c.sayDismissed(done, left, until, clk, false)
					return c.fail(err)
				default:
					done = append(done, q.ID)
				}
			}
			if len(qs) < dismissPage {
				break
			}
		}
		c.sayDismissed(done, left, until, clk, dry)
		return exitOK
	})
}

// dismissNamed is how many ids dismissMany names; the others are counted.
const dismissNamed = 20

// sayDismissed says what dismissMany dismissed (with dry, would dismiss)
// of the bodies received before until, and which it left.
func (c *cli) sayDismissed(done, left []int64, until time.Time, clk clock, dry bool) {
	if len(done) == 0 && len(left) == 0 {
		fmt.Fprintf(c.stdout, "no quarantined body waits for a person (received before %s): nothing dismissed\n", clk.show(until))
		return
	}
	verb, bodies := "dismissed", fmt.Sprintf("%d quarantined bodies", len(done))
	if dry {
		verb = "would dismiss"
	}
	if len(done) == 1 {
		bodies = "1 quarantined body"
	}
	fmt.Fprintf(c.stdout, "%s %s waiting for a person, received before %s (%s)", verb, bodies, clk.show(until), namedIDs(done))
	switch {
	case dry:
		fmt.Fprintln(c.stdout, ": run it again without -dry-run to dismiss them")
	case len(done) > 0:
		fmt.Fprintln(c.stdout, ": kept for the record (syncd events list -quarantined), their bodies dropped; "+
			"one dismissed by mistake can still be repaired from a copy (syncd events repair ID FILE)")
	default:
		fmt.Fprintln(c.stdout)
	}
	if len(left) > 0 {
		fmt.Fprintf(c.stdout, "left %d repaired, erased or dismissed by another command meanwhile (%s)\n", len(left), namedIDs(left))
	}
}

// namedIDs names ids, "id N" or "ids N, M", the first dismissNamed of
// them, the others counted; "none" when there is none.
func namedIDs(ids []int64) string {
	switch {
	case len(ids) == 0:
		return "none"
	case len(ids) == 1:
		return "id " + strconv.FormatInt(ids[0], 10)
	case len(ids) > dismissNamed:
		return fmt.Sprintf("ids %s and %d more: syncd events list -quarantined", joinIDs(ids[:dismissNamed]), len(ids)-dismissNamed)
	}
	return "ids " + joinIDs(ids)
}
