package report

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/schedule"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// Scheduler defaults.
const (
	DefaultSchedule    = "0 6 * * *" // 06:00 in the report time zone, for the previous day
	DefaultCatchUpDays = 7
	// DefaultRetryAfter is Options.RetryAfter's default.
	DefaultRetryAfter = 10 * time.Minute
	// RetryAtMost bounds the wait before a failed run is tried again
	// (Options.RetryAfter, doubled after each failure).
	RetryAtMost = 2 * time.Hour
)

// Scheduler makes the previous day's report on a cron schedule. Whenever it
// starts and at every run it also makes the reports it missed (days whose
// scheduled time has passed and that have no recorded report, at most
// catchUpDays back, none before the first report made) and finishes the
// mailings a stop interrupted, or that the mail server did not take for
// now through a round of attempts.
type Scheduler struct {
	opts    Options
	sched   cron.Schedule
	catchUp int
	// notMadeSince is when the runs began to fail to make a due report
	// (Options.NotMade); zero while they make them. Run's alone.
	notMadeSince time.Time
	// toldBeyond is set once the days past the catch-up days that no run
	// made were told (tellBeyondCatchUp): at the first run. Run's alone.
	toldBeyond bool
	// agency is the agency SetAgency named last (nil: Options.Agency),
	// which each run takes into opts as it begins.
	agency atomic.Pointer[string]
}

// SetAgency names the agency (Options.Agency) in the reports made from
// the next run on, and in their mail: the configuration's agency, which a
// reload may rename. A report made already keeps the name it was made
// with, its mail (sent again) too.
func (s *Scheduler) SetAgency(agency string) { s.agency.Store(&agency) }

// NewScheduler checks opts and parses spec, a standard five-field cron
// spec (robfig/cron/v3; "" means DefaultSchedule) read in the report time
// zone unless it starts with CRON_TZ=; a time the clocks skip runs as they
// jump (see schedule.Parse). catchUpDays bounds how far back
// missed reports are made (0 means DefaultCatchUpDays).
func NewScheduler(spec string, catchUpDays int, opts Options) (*Scheduler, error) {
	if opts.Dir == "" || opts.Out != "" {
		return nil, errors.New("report scheduler: needs a reports directory and no output file")
	}
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	if spec == "" {
		spec = DefaultSchedule
	}
	sched, err := schedule.Parse(spec, opts.Location)
	if err != nil {
		return nil, fmt.Errorf("report %w", err)
	}
	if catchUpDays <= 0 {
		catchUpDays = DefaultCatchUpDays
	}
	opts.unrecorded = &unrecorded{} // mailed, not recorded: retries record them, not mail them again
	opts.retried = true             // a mail the server does not take for now waits for the next retry
	return &Scheduler{opts: opts, sched: sched, catchUp: catchUpDays}, nil
}

// Run makes the missed reports, then each report at its time, until ctx
// ends; it then returns nil. schedule.Ticks keeps the time, as it does for
// the syncer: a step of the wall clock moves the runs with it (logged at
// debug: the syncer says it at info); a tick that comes during a run is
// merged into one run after it. A failing run is logged and tried again
// after Options.RetryAfter, doubling up to RetryAtMost, or at the next
// tick if sooner: a day's report that failed at 06:00 on a full disk is
// made once there is room, not a day later.
func (s *Scheduler) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	tick := schedule.Ticks(ctx, s.sched, s.opts.Clock, s.opts.Log, zerolog.DebugLevel)
	wait := s.opts.RetryAfter
	for {
		var retry <-chan time.Time
		unmade, why, err := s.makeDue(ctx)
		if ctx.Err() == nil && !errors.Is(err, errDueUnread) {
			s.toldNotMade(unmade, why)
		}
		if err != nil && ctx.Err() == nil {
			if s.opts.Told == nil || !s.opts.Told(err) {
				s.opts.Log.Error().Str("error", syncd.WithoutAddresses(err.Error())).Dur("retry_in_ms", wait).Msg("reports")
				s.opts.Log.Debug().Err(err).Msg("reports")
			}
			retry = time.After(wait)
			wait = min(2*wait, RetryAtMost)
		} else {
			wait = s.opts.RetryAfter
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick:
		case <-retry:
		}
	}
}

// Due returns the days, oldest first, whose report is due at now (the
// first scheduled run after the day ended has passed) and not recorded at
// or after that run: within the last catch-up days, not before the first
// report ever made and not ended before the installation started
// (opts.Installed), nor made before the database was restored from a
// backup that does not record it (madeBeforeRestore, which records it as
// kept). A report made by hand of a day not over, or before the run
// without the mail, does not take its place. With no report made yet, only the latest due day: a new
// installation does not report its past, nor the day before it existed.
func (s *Scheduler) Due(ctx context.Context, now time.Time) ([]Day, error) {
	first, err := s.opts.Store.FirstReport(ctx)
	if err != nil {
		return nil, err
	}
	today := DayOf(now, s.opts.Location)
	recs, err := s.opts.Store.Reports(ctx, today.AddDays(-s.catchUp).String())
	if err != nil {
		return nil, err
	}
	made := make(map[string]Record, len(recs))
	for _, r := range recs {
		made[r.Day] = r
	}
	var due []Day
	for d := today.AddDays(-s.catchUp); d.Before(today); d = d.AddDays(1) {
		_, end := d.Bounds(s.opts.Location)
		run := s.sched.Next(end.Add(-time.Second))
		if run.After(now) || d.String() < first || end.Before(s.opts.Installed) {
			continue // its run has not come yet, or it is older than syncd's reports or syncd
		}
		rec, ok := made[d.String()]
		if !ok && s.madeBeforeRestore(ctx, d, run) {
			if first == "" { // it is the first report made: none before it is due
				first, due = d.String(), nil
			}
			continue
		}
		if !ok || s.handMade(rec, end, run) {
			due = append(due, d)
		}
	}
	if first == "" && len(due) > 1 {
		due = due[len(due)-1:]
	}
	return due, nil
}

// madeBeforeRestore reports whether day's workbook, due at run, is in
// the reports directory from a run after the backup the database was
// restored from was taken and before the restore: the database does not
// record it, and making it again from the backup would replace it, with
// the leads received after the backup missing, and mail it twice. It
// records it as kept, at its time: status and the metrics then speak of
// it, not of the backup's last report (the 26 h alert fired on that).
func (s *Scheduler) madeBeforeRestore(ctx context.Context, d Day, run time.Time) bool {
	o := s.opts
	if o.RestoredAt.IsZero() {
		return false
	}
	path := filepath.Join(o.Dir, d.FileName())
	st, err := os.Stat(path)
	if err != nil || st.ModTime().Before(run) || !st.ModTime().After(o.BackupTaken) || st.ModTime().After(o.RestoredAt) {
		return false
	}
	o.Log.Info().Str("day", d.String()).Str("path", path).
		Msg("report kept as it is, not made or mailed again: it was made before the database was restored from an older backup, " +
			"which does not record it (syncd report -date " + d.String() + " -mail makes and mails it again from the database)")
	rec := Record{Day: d.String(), Path: path, CreatedAt: st.ModTime(), Mail: MailKept}
	if err := o.Store.RecordReport(ctx, rec); err != nil {
		o.Log.Warn().Err(err).Str("day", d.String()).Msg("kept report not recorded: status speaks of the one before it")
	}
	return true
}

// handMade reports whether rec, a day's report ending at end and due at
// run, was made by hand in a way that must not stand in for the run's: of
// the day before it was over, or before the run and not mailed though the
// scheduler mails.
func (s *Scheduler) handMade(rec Record, end, run time.Time) bool {
	return rec.CreatedAt.Before(end) || rec.CreatedAt.Before(run) && rec.Mail == MailNone && s.opts.Mailer != nil
}

// CatchUp finishes interrupted mailings, then makes every due report.
func (s *Scheduler) CatchUp(ctx context.Context) error {
	_, _, err := s.makeDue(ctx)
	return err
}

// makeDue is CatchUp, also returning the oldest due day whose report it
// could not make, and why ("" and nil when it made every one).
func (s *Scheduler) makeDue(ctx context.Context) (unmade string, why error, err error) {
	if a := s.agency.Load(); a != nil {
		s.opts.Agency = *a
	}
	var errs []error
	if s.opts.Mailer != nil {
		errs = append(errs, s.resumeMail(ctx))
	}
	now := s.opts.Now()
	days, err := s.Due(ctx, now)
	if err != nil { // which days are due is not known: what was told stands
		return "", nil, errors.Join(append(errs, errDueUnread, err)...)
	}
	if !s.toldBeyond {
		s.toldBeyond = true
		s.tellBeyondCatchUp(ctx, now)
	}
	for _, d := range days {
		if ctx.Err() != nil {
			break
		}
		path, err := Make(ctx, d, s.opts)
		if err != nil {
			errs = append(errs, err)
		}
		if err != nil && path == "" && unmade == "" { // not made; a mail's failure is told by the record
			unmade, why = d.String(), err
		}
	}
	return unmade, why, errors.Join(errs...)
}

// tellBeyondCatchUp warns of the days between the last report recorded
// before the catch-up days and them that have no report and no workbook:
// the daemon was stopped longer than report.catch_up_days, and a start
// makes only those days' reports, so the older ones are made by hand or
// never. Days before the first report or the installation are none of
// them, nor is a gap older than the last report before the catch-up days.
// The last report is looked for within beyondLookBack days before them: a
// stop longer than that is not told.
func (s *Scheduler) tellBeyondCatchUp(ctx context.Context, now time.Time) {
	start := DayOf(now, s.opts.Location).AddDays(-s.catchUp)
	recs, err := s.opts.Store.Reports(ctx, start.AddDays(-beyondLookBack).String())
	if err != nil {
		return
	}
	last := ""
	for _, r := range recs {
		if r.Day < start.String() && r.Day > last {
			last = r.Day
		}
	}
	d, err := ParseDay(last)
	if err != nil {
		return
	}
	var missed []Day
	for d = d.AddDays(1); d.Before(start); d = d.AddDays(1) {
		if _, end := d.Bounds(s.opts.Location); end.Before(s.opts.Installed) {
			continue
		}
		if _, err := os.Stat(filepath.Join(s.opts.Dir, d.FileName())); err == nil {
			continue // made, and its record lost with a restore
		}
		missed = append(missed, d)
	}
	if len(missed) == 0 {
		return
	}
	from, to := missed[0].String(), missed[len(missed)-1].String()
	days := from
	if from != to {
		days = fmt.Sprintf("%s to %s (%d days)", from, to, len(missed))
	}
	s.opts.Log.Warn().Str("from", from).Str("to", to).Int("days", len(missed)).Int("catch_up_days", s.catchUp).
		Msg(fmt.Sprintf("reports of %s not made, and past the last %d days (report.catch_up_days), whose missed reports "+
			"a start makes: syncd report -date DAY -mail makes and mails one", days, s.catchUp))
}

// beyondLookBack is how many days before the catch-up days
// tellBeyondCatchUp looks for the last report made.
const beyondLookBack = 366

// errDueUnread joins makeDue's error when the days due could not be read.
var errDueUnread = errors.New("reports due not read")

// toldNotMade tells Options.NotMade how the run went: the oldest due day
// it could not make, and why, or none.
func (s *Scheduler) toldNotMade(day string, why error) {
	if day == "" {
		s.notMadeSince = time.Time{}
	} else if s.notMadeSince.IsZero() {
		s.notMadeSince = s.opts.Now()
	}
	if s.opts.NotMade != nil {
		s.opts.NotMade(day, s.notMadeSince, why)
	}
}

// resumeMail continues the mailings left pending by a stop, in the
// catch-up window, and mails again those recipients of a mail sent that a
// stop left waiting (refused only for now), them alone.
func (s *Scheduler) resumeMail(ctx context.Context) error {
	since := DayOf(s.opts.Now(), s.opts.Location).AddDays(-s.catchUp)
	recs, err := s.opts.Store.Reports(ctx, since.String())
	if err != nil {
		return err
	}
	var errs []error
	for _, rec := range recs {
		w, waits, err := parseWaiting(rec.MailWaiting)
		if err != nil {
			errs = append(errs, fmt.Errorf("report %s: %w", rec.Day, err))
			continue
		}
		if rec.Mail == MailSent && waits && ctx.Err() == nil {
			if rec, err = s.here(ctx, rec); err == nil {
				err = resumeWaiting(ctx, s.opts, rec, w, s.roundOf(rec.Attempts))
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("report %s: %w", rec.Day, err))
			}
			continue
		}
		if rec.Mail != MailPending || ctx.Err() != nil {
			continue
		}
		if done, err := s.opts.unrecorded.record(ctx, s.opts, rec.Day); done {
			errs = append(errs, err)
			continue
		}
		rec, err := s.here(ctx, rec)
		if err == nil {
			err = deliver(ctx, s.opts, rec, s.roundOf(rec.Attempts))
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("report %s: %w", rec.Day, err))
		}
	}
	return errors.Join(errs...)
}

// roundOf is the attempts a pending mail that has had attempts may count
// up to in all: the rest of its round of Options.MailAttempts, a stop
// having cut it short, or a fresh round once one was used up (the server
// did not take it for now: keepPending).
func (s *Scheduler) roundOf(attempts int) int {
	return (attempts/s.opts.MailAttempts + 1) * s.opts.MailAttempts
}

// here returns rec with its workbook on this host. On a shared store the
// instance that made it keeps it in its own reports directory; when that
// instance died with the mail pending, the one that leads next makes the
// workbook again from the store, in its directory, and mails that.
func (s *Scheduler) here(ctx context.Context, rec Record) (Record, error) {
	if _, err := os.Stat(rec.Path); !errors.Is(err, fs.ErrNotExist) {
		return rec, nil
	}
	day, err := ParseDay(rec.Day)
	if err != nil {
		return rec, err
	}
	path := filepath.Join(s.opts.Dir, day.FileName())
	sum, err := build(ctx, day, s.opts, path)
	if err != nil {
		return rec, fmt.Errorf("make again: %w", err)
	}
	rec.Path, rec.Leads, rec.Summary, rec.Subject, rec.HTML = path, sum.leads, sum.Text(), sum.Subject(), sum.HTML()
	rec.Alarms = sum.recorded
	if err := s.opts.Store.RecordReport(ctx, rec); err != nil {
		return rec, err
	}
	s.opts.Log.Info().Str("day", rec.Day).Str("path", path).
		Msg("report made again to mail it: its workbook is not on this host (made by another instance)")
	return rec, nil
}
