package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/report"
)

// removedCopyMargin is how long before a workbook's file was written it
// may have read its day: an erase or purge committed meanwhile, while it
// was being made, left what it removed in it. (A workbook made within it
// after an erase is made again once more.)
const removedCopyMargin = time.Minute

// remakeRemovedCopies makes again each workbook in this host's report.dir
// that lists leads or quarantined bodies an erase, or the retention purge,
// removed after it was made. syncd erase and purge make again the copies
// on the host they run on only; on PostgreSQL another instance's
// report.dir may hold a workbook of the same day (the report's lead moved,
// a day made again by its next leader or by hand), which would list the
// person for report.keep_days.
func (d *daemon) remakeRemovedCopies(ctx context.Context, opts report.Options) {
	c := d.db.cluster
	names, err := filepath.Glob(filepath.Join(opts.Dir, "leads-*.xlsx"))
	if c == nil || err != nil {
		return
	}
	var received []time.Time
	for _, name := range names {
		day, err := report.ParseDay(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(name), "leads-"), ".xlsx"))
		st, serr := os.Stat(name)
		if err != nil || serr != nil {
			continue // not a workbook syncd names so, or pruned meanwhile
		}
		from, to := day.Bounds(opts.Location)
		n, err := c.RemovedSince(ctx, from, to, st.ModTime().Add(-removedCopyMargin))
		if err != nil {
			d.down.sayOr("keep reports", err, func(err error) {
				d.log.Warn().Err(err).Msg("reports with leads erased or purged since they were made")
			})
			return
		}
		if n > 0 {
			received = append(received, from)
		}
	}
	if len(received) == 0 {
		return
	}
	paths, err := rewriteReports(ctx, d.reports.config(), d.db, received) // as reloaded: named as the day's report is
	for _, p := range paths {
		d.log.Info().Str("path", p).Msg("report made again: leads erased or purged since it was made")
	}
	if err != nil {
		d.down.sayOr("keep reports", err, func(err error) {
			d.log.Warn().Err(err).Msg("make again reports with leads erased or purged since they were made")
		})
	}
}

// otherCopiesSaid tells, on PostgreSQL, what becomes of the workbooks of
// days on other hosts: every instance makes its own copy of them again
// (remakeRemovedCopies). Of each day made on another host alone (away, a
// workbook recorded that this host's report.dir lacks) it says how to have
// that copy made again at once.
func otherCopiesSaid(cfg *config.Config, days, away []report.Day) string {
	if cfg.Store.Kind != config.StorePostgres || len(days) == 0 {
		return ""
	}
	line := "other hosts: the other instances make their own copies of these days' workbooks again, where their report.dir holds one, " +
		"within the hour (a stopped one at its start): " + dayList(days)
	for _, d := range away {
		line += fmt.Sprintf("; %s, made on another host (it is not in %s here), lists the person until then: syncd report -date %s "+
			"on the host that made it (the report leader then: syncd status names the one now) makes it again at once", d.FileName(), cfg.Report.Dir, d)
	}
	return line
}

// dayList is "2026-12-05, 2026-12-06".
func dayList(days []report.Day) string {
	list := make([]string, len(days))
	for i, d := range days {
		list[i] = d.String()
	}
	return strings.Join(list, ", ")
}
