package main

// This file is what an erase reaches, or names, outside the database: the
// workbooks in report.dir it makes again, their mailed copies, the backups
// syncd backup made, and the copies on other hosts.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// rewriteReports makes again, from the database as it is now, the workbooks
// kept in the reports directory for the days something was received on:
// they no longer list what was erased or purged. Nothing is mailed. Of a
// day whose workbook is not there it forgets the mail's text
// (forgetMailText).
func rewriteReports(ctx context.Context, cfg *config.Config, db store, received []time.Time) ([]string, error) {
	opts, err := reportOptions(ctx, cfg, db, newLogger(io.Discard, "error"))
	if err != nil {
		return nil, err
	}
	opts.Mailer, opts.Again = nil, true // with the alarms recorded with each day
	if err := ownReportsDir(cfg); err != nil {
		return nil, err // another agency's workbooks are not rewritten
	}
	var paths []string
	var errs []error
	for _, d := range reportDays(received, opts.Location) {
		if _, err := os.Stat(filepath.Join(opts.Dir, d.FileName())); errors.Is(err, fs.ErrNotExist) {
			if err := forgetMailText(ctx, db, d); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		p, err := report.Make(ctx, d, opts)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		paths = append(paths, p)
	}
	return paths, errors.Join(errs...)
}

// forgetMailText drops the text of day's report mail (its subject, HTML
// and plain-text summary), which the database keeps with the day's
// record, where the day's workbook is not in report.dir to be made again
// (deleted past report.keep_days, or made on another host): that text
// names the day's new event types, which a sender may have made of a
// person's address, and kept them past the erase or purge that emptied
// them from the events. The day's counts, mail state and alarms stay; an
// instance holding the workbook makes it, and the text, again.
func forgetMailText(ctx context.Context, db store, day report.Day) error {
	recs, err := db.Reports(ctx, day.String())
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if rec.Day != day.String() || rec.Summary == "" && rec.HTML == "" && rec.Subject == "" {
			continue
		}
		rec.Summary, rec.HTML, rec.Subject = "", "", ""
		rec.Mail, rec.Again = syncd.MailNone, true // its mail state and first making kept
		if err := db.RecordReport(ctx, rec); err != nil {
			return fmt.Errorf("forget the mail text of the report of %s: %w", rec.Day, err)
		}
	}
	return nil
}

// mailedCopies says which days of times had their workbook mailed: the
// copies in the recipients' mailboxes still list the person, and once the
// erase is done nothing in syncd tells which mails did. A mail sent before
// anything of the person's day came (a report of a day not over, mailed by
// hand) lists nothing of them: it was named all the same, its recipients
// asked to delete a mail that never held the person.
func mailedCopies(ctx context.Context, w io.Writer, cfg *config.Config, db store, times []time.Time) error {
	clk := clockOf(cfg)
	days := reportDays(times, clk.loc)
	if len(days) == 0 {
		return nil
	}
	first := slices.MinFunc(days, func(a, b report.Day) int { return strings.Compare(a.String(), b.String()) })
	recs, err := db.Reports(ctx, first.String())
	if err != nil {
		return err
	}
	for _, r := range recs {
		before := func(t time.Time) bool { return report.DayOf(t, clk.loc).String() == r.Day && !t.After(r.MailedAt) }
		if !r.MailedAt.IsZero() && slices.ContainsFunc(times, before) {
			fmt.Fprintf(w, "mailed copy: the report of %s mailed at %s still lists the person in the recipients' mailboxes "+
				"(syncd cannot reach it: ask them to delete that mail)\n", r.Day, clk.show(r.MailedAt))
		}
	}
	return nil
}

// heldBackups says which backups syncd backup made hold the person s:
// those taken since times (what this erase removed, see backupsHolding)
// and those holding what an earlier erasure of s removed (see
// erasedInBackups of lg, the erasure log as this erase left it; none when
// it did not record it), as export names them: an erase run again finds
// nothing in the database, and named none. syncd cannot erase them.
func heldBackups(ctx context.Context, w io.Writer, cfg *config.Config, db store, s syncd.Subject, times []time.Time, lg erasureLog) error {
	list, err := backupsHolding(ctx, db, times, sqlitePath(cfg))
	erased, eerr := erasedInBackups(ctx, db, cfg, lg, s)
	for _, b := range erased {
		if !slices.ContainsFunc(list, func(o madeBackup) bool { return o.Path == b.Path }) {
			list = append(list, b)
		}
	}
	err = errors.Join(err, eerr)
	for _, b := range list {
		fmt.Fprintf(w, "backup: %s taken at %s still holds the person (syncd cannot reach it): delete it, or keep it "+
			"no longer than your privacy notice says; should it be restored, the daemon's first start on it erases the person again "+
			"(syncd status says if it cannot: then run this erase again)\n",
			b.Path, clockOf(cfg).show(b.TakenAt))
	}
	return err
}

// lostCopyHeld names the copy a daemon saved of its SQLite database
// removed or replaced under it (sqlite.LostCopy), where one is still beside
// the database: a backup restored over it leaves it there, holding what
// the database held then, which syncd neither erases nor purges.
func lostCopyHeld(w io.Writer, cfg *config.Config) {
	path := sqlitePath(cfg)
	if path == "" {
		return // PostgreSQL
	}
	saved := sqlite.LostCopy(path)
	if saved == "" {
		return
	}
	fmt.Fprintf(w, "lost database copy: %s, which syncd saved when its database was removed or replaced under the "+
		"daemon, may hold the person (syncd neither erases nor purges it): delete it once what it holds is not needed\n", saved)
}

// reportDays are the days in loc of times, each once, in the order first
// seen.
func reportDays(times []time.Time, loc *time.Location) []report.Day {
	var days []report.Day
	for _, t := range times {
		if d := report.DayOf(t, loc); !slices.Contains(days, d) {
			days = append(days, d)
		}
	}
	return days
}

// madeElsewhere returns, on PostgreSQL, the days of received whose
// workbook the shared store recorded made, that the reports directory here
// lacks and that its keep_days has not pruned: another instance made it,
// and it still lists what was erased until that instance makes its copy
// again (remakeRemovedCopies, within the hour, at its start if stopped).
// Erase exited 1 for them, "failed partway", though running it again
// finds nothing to do and that instance makes the copy again by itself
// (erase -event never did): otherCopiesSaid names them.
func madeElsewhere(ctx context.Context, cfg *config.Config, db store, received []time.Time) ([]report.Day, error) {
	if cfg.Store.Kind != config.StorePostgres || len(received) == 0 {
		return nil, nil
	}
	loc, keep := clockOf(cfg).loc, cfg.Report.KeepDays // as reportOptions has them, without its reads of the store
	today := report.DayOf(time.Now(), loc)
	var away []report.Day
	for _, d := range reportDays(received, loc) {
		if _, err := os.Stat(filepath.Join(cfg.Report.Dir, d.FileName())); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if keep > 0 && d.Before(today.AddDays(-keep)) {
			continue
		}
		made, err := db.ReportMade(ctx, d.String())
		if err != nil {
			return away, err
		}
		if made {
			away = append(away, d)
		}
	}
	return away, nil
}
