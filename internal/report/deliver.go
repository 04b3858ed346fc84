package report

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/sys/unix"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// reportName matches the file names Make writes; only these are pruned.
var reportName = regexp.MustCompile(`^leads-(\d{4}-\d{2}-\d{2})\.xlsx$`)

// tempName matches the temporary files writeAtomic writes beside a report,
// .NAME.RANDOM.syncd-report.tmp whatever NAME (-out names any); one is left
// behind only when the process died while writing it. tempOf matches those
// of a file named base as earlier versions named them, .NAME.RANDOM.tmp.
var tempName = regexp.MustCompile(`^\..+\.\d+` + regexp.QuoteMeta(tempSuffix) + `$`)

func tempOf(base string) *regexp.Regexp {
	return regexp.MustCompile(`^\.` + regexp.QuoteMeta(base) + `\.\d+\.tmp$`)
}

// legacyTemp matches the temporary files of reports.dir's workbooks as
// earlier versions named them.
var legacyTemp = regexp.MustCompile(`^\.leads-\d{4}-\d{2}-\d{2}\.xlsx\.\d+\.tmp$`)

// staleTemp is how old a temporary report file must be to be left over
// from a process that died, not one being written now.
const staleTemp = time.Hour

// pruneTemps deletes the temporary report files in dir (tempName, or
// legacy: those earlier versions named otherwise) and the directories of
// a report's spilled rows (tempName: spillDir) that a report killed
// midway left: they hold a day's leads, which neither the reports'
// retention nor an erase would otherwise reach. A report holds an flock
// on what it writes (createHeld, spillDir), so one whose flock is free
// was left by a report killed before it was done and goes at once, one
// whose flock is held stays to the report writing it; one it may not
// open to ask (another user's), or of an earlier version's name (legacy),
// which took no flock, goes once last written more than staleTemp before
// now.
func pruneTemps(dir string, legacy *regexp.Regexp, now time.Time, log zerolog.Logger) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("prune: %w", pruneRefused(dir, err))
	}
	var errs []error
	for _, e := range entries {
		name := e.Name()
		var remove func(string) error
		what := "unfinished workbook"
		switch {
		case e.Type().IsRegular() && (tempName.MatchString(name) || legacy.MatchString(name)):
			remove = os.Remove
		case e.IsDir() && tempName.MatchString(name):
			remove, what = os.RemoveAll, "spilled rows"
		default:
			continue
		}
		p := filepath.Join(dir, name)
		var left *os.File // p, its flock taken: left by a killed report
		if tempName.MatchString(name) {
			var held bool
			if left, held = lockLeft(p); held {
				continue
			}
		}
		if left == nil {
			last, err := lastWritten(p, e)
			if err != nil && !errors.Is(err, fs.ErrNotExist) { // not this user's to read: said, not passed over
				errs = append(errs, pruneRefused(dir, err))
			}
			if err != nil || now.Sub(last) < staleTemp {
				continue
			}
		}
		err := remove(p)
		if left != nil {
			left.Close() // lets its flock go, once deleted
		}
		if err != nil {
			errs = append(errs, pruneRefused(dir, err))
			continue
		}
		log.Info().Str("path", p).Msg("deleted the " + what + " of a report that was killed before it was done")
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("prune: %w", err)
	}
	return nil
}

// lockLeft opens p, a report's temporary file or directory of spilled
// rows, and takes its flock: it returns p open, that flock held, where
// no report holds it (one killed before it was done left p); held where a
// report writing p now holds it; neither where p cannot be opened or
// locked here (another user's, a filesystem without flocks).
func lockLeft(p string) (left *os.File, held bool) {
	f, err := os.Open(p)
	if err != nil {
		return nil, false
	}
	err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	if err == nil {
		return f, false
	}
	f.Close()
	return nil, errors.Is(err, unix.EWOULDBLOCK)
}

// lastWritten is when e, at path p, was last written: for a directory of
// spilled rows, the latest of the directory and the files in it (a
// report still running writes into its file, not the directory).
func lastWritten(p string, e fs.DirEntry) (time.Time, error) {
	info, err := e.Info()
	if err != nil {
		return time.Time{}, err
	}
	last := info.ModTime()
	if !e.IsDir() {
		return last, nil
	}
	inner, err := os.ReadDir(p)
	if err != nil {
		return time.Time{}, err
	}
	for _, f := range inner {
		fi, err := f.Info()
		if err != nil {
			return time.Time{}, err
		}
		if fi.ModTime().After(last) {
			last = fi.ModTime()
		}
	}
	return last, nil
}

// Prune deletes from opts.Dir, as Make does after each report, the
// workbooks older than opts.Keep days and the temporary files a process
// that died left there, and returns the paths of the workbooks deleted.
// An instance that makes no reports calls it: on a shared store the
// report's lead moves (a restart is enough), and the workbooks a former
// leader made stay on its disk; so does syncd purge, which applies the
// retention now.
func Prune(opts Options) ([]string, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(opts.Dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	now := opts.Now()
	deleted, err := prune(opts.Dir, DayOf(now, opts.Location), opts.Keep, "", opts.Log)
	return deleted, errors.Join(err, pruneTemps(opts.Dir, legacyTemp, now, opts.Log))
}

// prune deletes the reports in dir whose day is more than keep days before
// today: the last keep days' reports stay, and the one of day spare (the
// report just made: one of an older day, made by hand, stays until the
// next prune rather than vanish before it is read or mailed). keep <= 0
// keeps everything. It returns the paths of the reports it deleted.
func prune(dir string, today Day, keep int, spare string, log zerolog.Logger) ([]string, error) {
	if keep <= 0 {
		return nil, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("prune: %w", pruneRefused(dir, err))
	}
	var deleted []string
	oldest := today.AddDays(-keep).String()
	var errs []error
	for _, e := range entries {
		m := reportName.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() || m[1] >= oldest || m[1] == spare {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			if !errors.Is(err, fs.ErrNotExist) { // another instance on a shared directory was first
				errs = append(errs, pruneRefused(dir, err))
			}
			continue
		}
		log.Info().Str("file", e.Name()).Msg("old report deleted")
		deleted = append(deleted, filepath.Join(dir, e.Name()))
	}
	if err := errors.Join(errs...); err != nil {
		return deleted, fmt.Errorf("prune: %w", err)
	}
	return deleted, nil
}

// deliver mails rec's workbook, counting attempts on from those already
// recorded up to limit in all, with doubling back-off, and records every
// attempt. An error that says it is not Temporary (a 5xx refusal) or is a
// Misfit (settings the server does not fit) ends the attempts at once. The file is never touched.
func deliver(ctx context.Context, opts Options, rec Record, limit int) error {
	subject, body := mailText(rec)
	if rec.Attempts >= limit {
		return failMail(ctx, opts, rec.Day, rec.Attempts, fmt.Errorf("mail: %d attempts used: %s", rec.Attempts, rec.MailError))
	}
	wait := opts.MailBackoff
	// The scheduler's mail, or one it waits to try again (a command by
	// hand while the server is still down), is left for its next retry
	// when the server does not take it for now (keepPending).
	held := opts.retried || WaitsForServer(rec) != ""
	var unattached string // why the last mail went without the workbook
	for attempt := rec.Attempts + 1; ; attempt++ {
		if _, err := os.Stat(rec.Path); err != nil {
			return failMail(ctx, opts, rec.Day, attempt-1, fmt.Errorf("mail: %w", err))
		}
		send := func(to []string) error { // nil: every recipient
			big, err := sendReport(ctx, opts.Mailer, to, subject, body, rec.HTML, rec.Path)
			unattached = big
			return err
		}
		err := send(nil)
		// A mail that went out is recorded though the daemon is stopping
		// meanwhile: unrecorded, the next start would mail it again.
		sentCtx := context.WithoutCancel(ctx)
		if err == nil && unattached != "" {
			return sentUnattached(sentCtx, opts, rec.Day, attempt, unattached, rec.Path)
		}
		if err == nil {
			if err := opts.Store.SetMailState(sentCtx, rec.Day, MailSent, attempt, "", MailNote{}); err != nil {
				return sentUnrecorded(opts, rec.Day, attempt, outcome{}, err)
			}
			opts.Log.Info().Str("day", rec.Day).Int("attempt", attempt).Msg("report mailed")
			return nil
		}
		var part interface{ Partial() bool }
		if errors.As(err, &part) && part.Partial() {
			logPartly(opts, rec.Day, attempt, "report mailed, but the mail server refused it for some recipients", err)
			var p pending
			note := ""
			if unattached != "" {
				note = unattachedNote(unattached, rec.Path)
				logUnattached(opts, rec.Day, attempt, unattached, rec.Path)
			}
			if _, alone := opts.Mailer.(pendingMailer); alone && errors.As(err, &p) && len(p.Pending()) > 0 {
				w := waitingOf(p)
				w.Unattached = note
				return deliverPending(ctx, opts, rec, send, attempt, limit, wait, w, p)
			}
			return sentPartly(sentCtx, opts, rec.Day, attempt, note, err)
		}
		if ctx.Err() != nil {
			// Stopping is not the mail's fault: leave it pending for the
			// next start, without counting this attempt.
			return fmt.Errorf("mail: %w", ctx.Err())
		}
		if !opts.SaysMail {
			opts.Log.Warn().Str("error", syncd.WithoutAddresses(err.Error())).Str("day", rec.Day).Int("attempt", attempt).Msg("mail report")
		}
		opts.Log.Debug().Err(err).Str("day", rec.Day).Int("attempt", attempt).Msg("mail report")
		var misfit interface{ Misfit() bool }
		if errors.As(err, &misfit) && misfit.Misfit() { // not the server's refusal: the settings
			return failMail(ctx, opts, rec.Day, attempt, fmt.Errorf("mail not sent: %w", err))
		}
		var tmp interface{ Temporary() bool }
		if errors.As(err, &tmp) && !tmp.Temporary() {
			return failMail(ctx, opts, rec.Day, attempt, fmt.Errorf("mail refused: %w", err))
		}
		if attempt >= limit && held {
			return keepPending(ctx, opts, rec.Day, attempt, err)
		}
		if attempt >= limit {
			if attempt == 1 { // the mailer's error names the server already
				return failMail(ctx, opts, rec.Day, attempt, err)
			}
			return failMail(ctx, opts, rec.Day, attempt, fmt.Errorf("mail after %d attempts: %w", attempt, err))
		}
		text, note := err.Error(), MailNote{}
		if held && attempt >= opts.MailAttempts { // a round used up: still nobody has it (status, the metrics)
			text, note.Held = fmt.Sprintf(heldFormat, attempt)+text, true
		}
		if serr := opts.Store.SetMailState(ctx, rec.Day, MailPending, attempt, text, note); serr != nil {
			return serr
		}
		if sent, err := waitToRetry(ctx, opts, rec.Day, wait); sent || err != nil {
			return err
		}
		wait *= 2
	}
}

// logPartly logs a mail the server took for some recipients and refused
// for others: at warn, how many, never who (the recipients' addresses are
// personal data: syncd status and the command's own words name them, from
// the error returned), and the server's answer at debug; a command that
// says the refusal itself (Options.SaysMail) logs it at debug alone.
func logPartly(opts Options, day string, attempt int, msg string, err error) {
	ev := opts.Log.Warn()
	if opts.SaysMail {
		ev = opts.Log.Debug().Err(err)
	}
	var p pending
	if errors.As(err, &p) {
		ev = ev.Int("refused_for_good", len(p.Refusals())).Int("refused_for_now", len(p.Deferrals()))
	}
	ev.Str("day", day).Int("attempt", attempt).Msg(msg + ": syncd status names who")
	if !opts.SaysMail {
		opts.Log.Debug().Err(err).Str("day", day).Int("attempt", attempt).Msg(msg)
	}
}

// mailText is the subject and text of rec's mail: those recorded, or
// plain ones for a report recorded before they were.
func mailText(rec Record) (subject, body string) {
	subject = rec.Subject
	if subject == "" {
		subject = fmt.Sprintf("Leads report %s: %d leads", rec.Day, rec.Leads)
	}
	body = rec.Summary
	if body == "" {
		body = fmt.Sprintf("Leads report for %s: %d leads.\n\nThe workbook is attached.\n", rec.Day, rec.Leads)
	}
	return subject, body
}

// waitToRetry waits before another attempt to mail day's report, and
// reports whether it was sent meanwhile by another process (`syncd report
// -mail` by hand): another attempt would mail it twice.
func waitToRetry(ctx context.Context, opts Options, day string, wait time.Duration) (sent bool, err error) {
	t := time.NewTimer(wait)
	select {
	case <-ctx.Done():
		t.Stop()
		return false, fmt.Errorf("mail: %w", ctx.Err())
	case <-t.C:
	}
	recs, err := opts.Store.Reports(ctx, day)
	if err != nil || len(recs) == 0 || recs[0].Day != day || recs[0].Mail != MailSent {
		return false, nil // not known to be sent: try again
	}
	opts.Log.Info().Str("day", day).Msg("report mailed meanwhile by another process: not mailed again")
	return true, nil
}

// sentPartly records a mail that some recipients got and the server
// refused for others as sent, with the refusal, and unattached (see
// unattachedNote) when it went without the workbook: another attempt
// would mail the first ones twice.
func sentPartly(ctx context.Context, opts Options, day string, attempts int, unattached string, err error) error {
	o := outcome{text: err.Error(), note: MailNote{Refused: notSentTo(err), RefusedWho: err.Error()}}
	var who interface{ Refusals() []string }
	if errors.As(err, &who) && len(who.Refusals()) > 0 {
		o = refusedText(who.Refusals(), nil, "")
	}
	o = withUnattached(o, unattached)
	if serr := opts.Store.SetMailState(ctx, day, MailSent, attempts, o.text, o.note); serr != nil {
		return errors.Join(err, sentUnrecorded(opts, day, attempts, o, serr))
	}
	return fmt.Errorf("mail partly refused: %w", err)
}

// notSentTo counts the recipients a mailer's partial refusal err says it
// did not reach, refused for good or for now (internal/mail's Error); 1
// when it does not say.
func notSentTo(err error) int {
	var p pending
	if errors.As(err, &p) {
		if n := len(p.Refusals()) + len(p.Deferrals()); n > 0 {
			return n
		}
	}
	return 1
}

// sentUnattached records a mail sent without the workbook at path, too
// large for the mail server (why says how), as sent, with that beside it
// (status says so until a report goes whole), and logs it once: the
// recipients were told where it is kept, and another attempt would fail
// alike.
func sentUnattached(ctx context.Context, opts Options, day string, attempts int, why, path string) error {
	o := withUnattached(outcome{}, unattachedNote(why, path))
	if err := opts.Store.SetMailState(ctx, day, MailSent, attempts, o.text, o.note); err != nil {
		return sentUnrecorded(opts, day, attempts, o, err)
	}
	logUnattached(opts, day, attempts, why, path)
	return nil
}

func logUnattached(opts Options, day string, attempts int, why, path string) {
	opts.Log.Warn().Str("day", day).Int("attempt", attempts).Str("why", why).Str("file", path).
		Msg("report mailed without its workbook, too large for the mail server: the mail says where it is kept")
}

// unattachedNote says why a mail went without the workbook at path (why:
// the mailer's word of how large) and where it is kept.
func unattachedNote(why, path string) string {
	return fmt.Sprintf("too large for the mail server (%s); it is kept at %s", why, path)
}

// unattachedPrefix begins the error text recorded beside a mail sent
// without the workbook, before the mailer's word of why and where it is;
// on a line of its own after the refusals when some recipients were
// refused too. The text is for display: MailNote.Unattached says it.
const unattachedPrefix = "sent without the workbook: "

// outcome is how a mail stood, to record: the error text, for display,
// and the same in fields (MailNote), which is what is read back.
type outcome struct {
	text string
	note MailNote
}

// withUnattached is o with note (unattachedNote, "" when the workbook was
// attached) added: the mail went without the workbook.
func withUnattached(o outcome, note string) outcome {
	o.note.Unattached = note
	switch {
	case note == "":
	case o.text == "":
		o.text = unattachedPrefix + note
	default:
		o.text += "\n" + unattachedPrefix + note
	}
	return o
}

// Unattached says, of a report's mail as rec records it, why it went
// without the workbook (too large for the mail server) and where that is
// kept; "" when it went with it, or failed, or is not sent.
func Unattached(rec Record) string {
	if rec.Mail != MailSent {
		return ""
	}
	return rec.MailNote.Unattached
}

// refusedFormat begins the error text recorded beside a mail sent to some
// recipients and refused for the others, before whom and why.
const refusedFormat = "refused for %d recipient(s): "

// Refused says, of a report's mail as rec records it, how many recipients
// the server refused the mail for while it took it for the others, and
// who with its answers ("gone@example.com (550 5.1.1 no such user)"); 0
// and "" when it went to all of them, or failed, or is not sent yet.
func Refused(rec Record) (n int, who string) {
	if rec.Mail != MailSent {
		return 0, ""
	}
	return rec.MailNote.Refused, rec.MailNote.RefusedWho
}

// keepPending records day's mail, not taken for now after attempts (the
// server not reached, or answering 4xx), as pending with err, for the
// scheduler to try again at its next retry (Options.RetryAfter, doubling
// up to RetryAtMost) with a fresh round of attempts: the managers get the
// day's report once the server takes mail again, where it was recorded
// failed after a quarter of an hour and never sent.
func keepPending(ctx context.Context, opts Options, day string, attempts int, err error) error {
	err = heldError{fmt.Errorf(heldFormat+"%w", attempts, err)}
	if serr := opts.Store.SetMailState(ctx, day, MailPending, attempts, err.Error(), MailNote{Held: true}); serr != nil {
		return errors.Join(err, serr)
	}
	return err
}

// heldError is keepPending's: the mail is left for the daemon's retries.
type heldError struct{ error }

func (e heldError) Unwrap() error { return e.error }

// LeftForTheDaemon reports whether err, from Make, says the mail was not
// taken for now and is left pending for the daemon to try again (a
// command by hand while the server the daemon waits for is still down).
func LeftForTheDaemon(err error) bool {
	var h heldError
	return errors.As(err, &h)
}

// heldFormat begins the error recorded beside a mail left pending by
// keepPending, before the mailer's: how many attempts it has had.
const heldFormat = "the mail server did not take it in %d attempt(s): "

// WaitsForServer says, of a report's mail as rec records it, why it is
// not sent yet after a round of attempts (its error text), the server not
// taking it for now (not reached, or answering 4xx), while the daemon
// tries it again at its retries (keepPending); "" otherwise. Nobody has
// the report meanwhile.
func WaitsForServer(rec Record) string {
	if rec.Mail != MailPending || !rec.MailNote.Held {
		return ""
	}
	return rec.MailError
}

// waitsForServer reports whether day's report is recorded with its mail
// waiting for a mail server that did not take it (WaitsForServer).
func waitsForServer(ctx context.Context, db Store, day string) bool {
	recs, err := db.Reports(ctx, day)
	return err == nil && len(recs) > 0 && recs[0].Day == day && WaitsForServer(recs[0]) != ""
}

func failMail(ctx context.Context, opts Options, day string, attempts int, err error) error {
	if serr := opts.Store.SetMailState(ctx, day, MailFailed, attempts, err.Error(), MailNote{}); serr != nil {
		return errors.Join(err, serr)
	}
	return err
}

// Mail mails the report already recorded for day, continuing its attempts
// (syncd report -date D -mail on a day already made, or a retry). It needs
// opts.Store and opts.Mailer.
func Mail(ctx context.Context, day Day, opts Options) error {
	if opts.Mailer == nil {
		return errors.New("report: no mailer")
	}
	if opts.Out == "" && opts.Dir == "" {
		opts.Out = "-" // Dir is not needed to mail a recorded report
	}
	if err := opts.defaults(); err != nil {
		return err
	}
	recs, err := opts.Store.Reports(ctx, day.String())
	if err != nil {
		return err
	}
	if len(recs) == 0 || recs[0].Day != day.String() {
		return fmt.Errorf("report %s: not made", day)
	}
	rec := recs[0]
	return deliver(ctx, opts, rec, rec.Attempts+opts.MailAttempts) // by hand: a fresh set of attempts
}
