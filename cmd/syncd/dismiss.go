package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// eventsDismiss sets quarantined bodies aside as no lead, at the
// operator's word: `events dismiss [-config FILE] ID [ID...]`. A port
// scanner's garbage or a test ping cannot be repaired into an event, and
// waited for a person (syncd status, exit 5) with no way out; dismissed,
// it is kept for the record (events list -quarantined), its body dropped
// as the retention drops it. Each ID is dismissed on its own: the exit
// status is that of the last that failed, 0 when none did.
func (c *cli) eventsDismiss(ctx context.Context) int {
	fs := c.flags("events dismiss")
	file := fs.String("config", defaultConfig, "configuration file")
	if err := parseFlags(fs, c.args); err != nil || fs.NArg() == 0 {
		wrongArgs(fs, err, "the ID of each quarantined body to dismiss (syncd events list -quarantined)")
		return c.flagsStatus(fs, err, "usage: syncd events dismiss [-config FILE] QUARANTINE-ID [QUARANTINE-ID...]")
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
