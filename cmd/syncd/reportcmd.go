package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"al.essio.dev/pkg/shellescape"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/report"
)

// cmdReport makes one day's report by hand:
// report [-date YYYY-MM-DD] [-out FILE [-replace]] [-mail].
func cmdReport(ctx context.Context, c *cli) int {
	fs := c.flags("report")
	file := fs.String("config", defaultConfig, "configuration file")
	date := fs.String("date", "", "the day, YYYY-MM-DD, today or yesterday, in report.time_zone (default yesterday)")
	out := fs.String("out", "", "write the workbook to this new .xlsx file (an existing one only with -replace), in a directory that exists, instead of the reports directory (not recorded, not mailed: not with -mail)")
	replace := fs.Bool("replace", false, "with -out: write over FILE if it exists (refused otherwise)")
	send := fs.Bool("mail", false, "mail it to the configured recipients, trying once and saying what the server answered (exit 1 if it failed)")
	if err := parseOnlyFlags(fs, c.args, "give the day as -date YYYY-MM-DD"); err != nil {
		return c.flagsStatus(fs, err, reportExits()...)
	}
	if !c.outMeant(*out, *date, *send, *replace) {
		return exitUsage
	}
	open := c.withWriter // the mail alone needs the secrets
	if *send {
		open = c.withStore
	}
	if *out != "" {
		open = c.withReader // a workbook written elsewhere is not recorded: it only reads
	}
	return open(ctx, *file, func(cfg *config.Config, db *backend) int {
		opts, err := reportOptions(ctx, cfg, db, commandLogger(c.stderr, "report", cfg.Log.Level, clockOf(cfg)))
		if err != nil {
			return c.fail(err)
		}
		// No recipients: the workbook is made all the same, as the daemon
		// makes it, and nothing mailed is said. It exited 2 without one,
		// though status and the docs give report -date DAY -mail to make a
		// day missed on every installation, one without mail too.
		unmailed := *send && opts.Mailer == nil
		if !*send {
			opts.Mailer = nil
		}
		// By hand, one attempt: the operator sees at once what the mail
		// server said, instead of the daemon's back-off (1, 2, 4, 8 minutes).
		opts.MailAttempts = 1
		opts.LeaveWaiting = true // a recipient refused only for now: the daemon mails it again
		opts.SaysMail = true     // partlyMailed or c.fail below says how the mail went, once
		opts.Out = *out
		day, err := reportDay(*date, time.Now(), opts.Location)
		if err != nil {
			fmt.Fprintf(c.stderr, "syncd report: -date: %v\n", err)
			return exitUsage
		}
		if *out != "" && !c.outMeant(*out, day.String(), false, *replace) { // a directory: named with the day's file
			return exitUsage
		}
		if *out == "" {
			if err := ownReportsDir(cfg); err != nil {
				return c.fail(err)
			}
			if err := serviceReportsDir(cfg); err != nil {
				return c.fail(err)
			}
		}
		prog := c.newProgress("report: rows", 0)
		opts.Progress = prog.add
		path, err := report.Make(ctx, day, opts)
		prog.finish()
		if path != "" {
			fmt.Fprintln(c.stdout, path)
		}
		var me *mail.Error
		if err != nil && path != "" && *send && errors.As(err, &me) && me.Partial() && !report.Mailed(err) &&
			!errors.Is(err, context.Canceled) {
			fmt.Fprintln(c.stderr, partlyMailed(me, cfg.Report.Mail.To, net.JoinHostPort(cfg.Report.Mail.Host, strconv.Itoa(cfg.Report.Mail.Port))))
			return exitFailure
		}
		if err != nil {
			code := exitFailure
			if path != "" && errors.Is(err, context.Canceled) {
				fmt.Fprintln(c.stderr, "syncd report: interrupted once the workbook was made")
			} else {
				code = c.fail(err)
			}
			// A mail partly refused reached the others, and one mailed but not
			// recorded reached all: again would mail them twice.
			if path != "" && *send && !mail.Partial(err) && !report.Mailed(err) {
				fmt.Fprintln(c.stderr, retryMailAdvice(err))
			}
			return code
		}
		if note := prunedNext(day, time.Now(), opts.Location, cfg.Report.KeepDays, *out); note != "" {
			fmt.Fprintln(c.stderr, note)
		}
		if unmailed {
			fmt.Fprintln(c.stderr, "syncd report: -mail: nothing mailed: no recipients configured (report.mail.to); "+
				"the workbook is made, as the daemon makes it without mail")
		}
		return exitOK
	})
}

// prunedNext says, of a workbook made by hand in the reports directory
// (out empty) of a day older than report.keep_days (keep) at now, that the
// next report deletes it, and how to keep it: the path was printed with
// exit 0 and nothing said the file would be gone by the next morning (the
// prune after each report spares only the report it makes). "" for any
// other.
func prunedNext(day report.Day, now time.Time, loc *time.Location, keep int, out string) string {
	if out != "" || keep <= 0 || !day.Before(report.DayOf(now, loc).AddDays(-keep)) {
		return ""
	}
	return fmt.Sprintf("syncd report: %s is of a day older than report.keep_days (%d days): the next report deletes it "+
		"(by the next scheduled one at the latest); to keep it, copy it elsewhere, or make it with -out FILE", day.FileName(), keep)
}

// outMeant reports whether report's -out FILE (with -mail, -replace or
// not) is one to write, saying on stderr why not: -mail sends the kept
// report only, -replace is of -out's file, and FILE must be an .xlsx in a
// directory that exists, and not there yet unless replace (checkOut).
func (c *cli) outMeant(out, date string, send, replace bool) bool {
	switch {
	case out != "" && send:
		fmt.Fprintln(c.stderr, "syncd report: -mail sends the report kept in the reports directory; leave out -out")
		return false
	case out == "" && replace:
		fmt.Fprintln(c.stderr, "syncd report: -replace writes over the file -out names; the reports directory's workbook of a day is made anew anyway")
		return false
	case out != "":
		if err := checkOut(out, date, replace); err != nil {
			fmt.Fprintf(c.stderr, "syncd report: -out: %v\n", err)
			return false
		}
	}
	return true
}

// dateShaped reports whether s is written as YYYY-MM-DD, a date or none
// (2026-02-30).
func dateShaped(s string) bool {
	if len(s) != len(time.DateOnly) {
		return false
	}
	for i, r := range s {
		if (i == 4 || i == 7) != (r == '-') || (r != '-' && (r < '0' || r > '9')) {
			return false
		}
	}
	return true
}

// reportDay is the day -date names, YYYY-MM-DD, today or yesterday (default
// the day before now's in loc).
// A day not begun is refused: its report is empty, and as the first report
// recorded it would make the scheduler skip every day before it.
func reportDay(date string, now time.Time, loc *time.Location) (report.Day, error) {
	today := report.DayOf(now, loc)
	if date == "" {
		return today.AddDays(-1), nil
	}
	switch strings.ToLower(strings.TrimSpace(date)) {
	case "today": // a day under way: the report holds what came so far
		return today, nil
	case "yesterday":
		return today.AddDays(-1), nil
	}
	day, err := report.ParseDay(date)
	if err != nil && !dateShaped(date) { // "tomorrow", 28-11-2026: not 2026-02-30, said to be no date
		return day, fmt.Errorf("%q is not a day syncd reads: give YYYY-MM-DD, today or yesterday (yesterday was %s)",
			date, today.AddDays(-1))
	}
	if err == nil && today.Before(day) {
		err = fmt.Errorf("%s has not begun in %s (today is %s): nothing to report yet", day, loc, today)
	}
	return day, err
}

// checkOut refuses an -out path the operator cannot have meant: one whose
// directory does not exist (a typo; the workbook's writer would make it),
// that does not end in .xlsx (the workbook is one, whatever its name), or,
// unless replace, a file there already (another day's workbook, a copy
// someone edited: as export -out, a file is not written over unasked).
//
// A directory (-out ~/Desktop, meaning the workbook in it) was told to name
// the file .xlsx, and one named .xlsx was taken, to fail as the workbook
// was renamed over it: it is said to be one, with the name to give (of
// the day's, leads-YYYY-MM-DD.xlsx, as in the reports directory). Of a
// date not written YYYY-MM-DD (yesterday, the default, or today) a
// directory is refused once the day is known in report.time_zone, which
// the configuration gives: it was named leads-YYYY-MM-DD.xlsx as it is.
func checkOut(path, date string, replace bool) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		d, err := report.ParseDay(date)
		if err != nil {
			return nil // refused by the second check, with the day
		}
		return fmt.Errorf("%s is a directory: name the workbook to write in it, e.g. -out %s", path, shellescape.Quote(filepath.Join(path, d.FileName())))
	}
	if !strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return fmt.Errorf("%s: the report is an Excel workbook: name the file .xlsx", path)
	}
	if _, err := os.Lstat(path); err == nil && !replace {
		return fmt.Errorf("%s exists: give another name, remove it first, or add -replace to write over it", path)
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("no directory %s to write %s in: create it first", dir, filepath.Base(path))
	}
	return nil
}

// partlyMailed says, once, what report -mail did with a mail the server
// took for some recipients and refused for others (me; to is
// report.mail.to, server its host:port): who got it, who was refused for good (correct or
// remove them in report.mail.to) and who only for now (a 4xx:
// greylisting, left recorded for the daemon to mail again alone,
// report.Options.LeaveWaiting), and that running it again would mail
// everyone again.
func partlyMailed(me *mail.Error, to []string, server string) string {
	var parts []string
	if r := me.Refusals(); len(r) > 0 {
		parts = append(parts, fmt.Sprintf("%s: refused for good: correct or remove %s in report.mail.to",
			strings.Join(r, ", "), itThem(len(r))))
	}
	if d := me.Deferrals(); len(d) > 0 {
		parts = append(parts, fmt.Sprintf("%s: refused only for now (greylisting, a full mailbox): this command tries once; "+
			"the daemon mails it again to %s alone at its next report run or start (syncd status lists %s meanwhile)",
			strings.Join(d, ", "), itThem(len(d)), itThem(len(d))))
	}
	return fmt.Sprintf("syncd report: the workbook is made and mailed to %s; the mail server %s refused %s "+
		"(running this command again would mail everyone again)",
		strings.Join(tookIt(me, to), ", "), server, strings.Join(parts, "; and "))
}

// retryMailAdvice is what to do after report -mail failed to mail the
// workbook it made: try again, or, when the mail server refused it for
// good (a 5xx answer: no such recipient, the login, this host; a workbook
// too large goes without it, and says so, see mail.Error.Unattached),
// or report.mail does not fit what it offers (STARTTLS, a login), mend
// that first, since the same command alone would fail alike.
func retryMailAdvice(err error) string {
	var me *mail.Error
	var cert x509.UnknownAuthorityError
	if errors.As(err, &cert) {
		return "syncd report: the workbook is made; the mail server's certificate is not trusted (a private CA's or self-signed): " +
			"name a PEM file holding it or its CA in report.mail.ca_file, then run the same command again"
	}
	if mail.Misfit(err) {
		return "syncd report: the workbook is made; report.mail does not fit what the mail server offers: change it as said above, " +
			"then run the same command again (syncd validate checks the file)"
	}
	if errors.As(err, &me) && me.TooLarge() != "" && !me.Partial() { // without the workbook too (see sendReport)
		return "syncd report: the workbook is made; the mail server refused even the mail without it as too large: " +
			"raise the mail server's message size limit, or send through one that takes it, then run the same command again"
	}
	if errors.As(err, &me) && !me.Temporary() {
		return "syncd report: the workbook is made; the mail server refused it for good: mend what it says, " +
			"then run the same command again"
	}
	if report.LeftForTheDaemon(err) {
		return "syncd report: the workbook is made; the mail is left to the daemon, which keeps trying it until the server takes it " +
			"(syncd status says how it stands); or run the same command again"
	}
	return "syncd report: the workbook is made; run the same command again to retry the mail"
}
