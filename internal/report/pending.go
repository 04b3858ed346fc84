package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// pendingMailer is a Mailer that sends to some of the recipients alone:
// those a mail that reached the others was refused for only for now
// (internal/mail's Sender).
type pendingMailer interface {
	SendHTMLTo(ctx context.Context, to []string, subject, text, html string, attachments ...string) error
}

// pending is a mail that reached some recipients, Partial (internal/mail's Error):
// who the server refused for good, with its answers (Refusals), and who
// only for now, as addresses (Pending) and with its answers (Deferrals).
type pending interface {
	error
	Partial() bool
	Refusals() []string
	Pending() []string
	Deferrals() []string
}

// waiting is a mail sent to some recipients while others were refused
// only for now: those refused for good, with their answers (Refused), and
// those to mail again, as addresses (To) and with their answers
// (Deferrals). It is recorded with the report (Record.MailWaiting) while
// they wait, so that a restart mails them, and them alone.
type waiting struct {
	To        []string `json:"to"`
	Refused   []string `json:"refused,omitempty"`
	Deferrals []string `json:"deferrals,omitempty"`
	// Unattached says why the mail went without the workbook and where
	// it is (unattachedNote); "" when it went with it.
	Unattached string `json:"unattached,omitempty"`
}

func waitingOf(p pending) waiting {
	return waiting{To: p.Pending(), Refused: p.Refusals(), Deferrals: p.Deferrals()}
}

// parseWaiting reads a Record.MailWaiting; ok is false when none wait.
func parseWaiting(s string) (w waiting, ok bool, err error) {
	if s == "" {
		return w, false, nil
	}
	if err := json.Unmarshal([]byte(s), &w); err != nil {
		return w, false, fmt.Errorf("recipients waiting: %w", err)
	}
	return w, len(w.To) > 0, nil
}

// deliverPending goes on mailing rec's workbook with send, after attempt reached some
// recipients, to those w says the server refused only for now (a 4xx:
// greylisting), alone: the others are not mailed again. Meanwhile the mail
// is recorded as sent, with them beside those refused for good ("for now,
// trying again"), and who they are (SetMailWaiting): a restart mails
// them, and them alone (resumeWaiting). It ends with those still refused
// recorded, after limit attempts in all at the latest. first is the error
// that left them waiting; nil when resumed after a stop, whose refusals
// were told before it: nil is returned then once none is refused for now.
func deliverPending(ctx context.Context, opts Options, rec Record, send func(to []string) error,
	attempt, limit int, wait time.Duration, w waiting, first error) error {
	refused, to, deferred := w.Refused, w.To, w.Deferrals
	sentCtx := context.WithoutCancel(ctx)
	last := first
	for len(to) > 0 && attempt < limit {
		o := withUnattached(refusedText(refused, deferred, waitingHow), w.Unattached)
		state, err := json.Marshal(waiting{To: to, Refused: refused, Deferrals: deferred, Unattached: w.Unattached})
		if err == nil {
			err = opts.Store.SetMailWaiting(sentCtx, rec.Day, attempt, o.text, o.note, string(state))
		}
		if err != nil {
			return errors.Join(last, sentUnrecorded(opts, rec.Day, attempt, o, err))
		}
		if !sleep(ctx, wait) {
			return stoppedWaiting(ctx, first)
		}
		wait *= 2
		err = send(to)
		if err != nil && ctx.Err() != nil { // stopping: not their answer, nor an attempt
			return stoppedWaiting(ctx, first)
		}
		attempt++
		var again pending
		var tmp interface{ Temporary() bool }
		switch {
		case err == nil:
			to, deferred = nil, nil
		case errors.As(err, &again) && again.Partial(): // some took it
			last = err
			refused = append(refused, again.Refusals()...)
			to, deferred = again.Pending(), again.Deferrals()
		case errors.As(err, &tmp) && tmp.Temporary():
			last = err
		default: // refused for good now
			last = err
			for _, a := range to {
				refused = append(refused, a+" ("+err.Error()+")")
			}
			to, deferred = nil, nil
		}
		if err != nil {
			logPartly(opts, rec.Day, attempt, "mailing the report again to the recipients refused for now failed", err)
		}
	}
	if len(to) > 0 && (opts.LeaveWaiting || opts.retried) {
		how := leftForTheDaemon
		if opts.retried { // the scheduler's: at its next retry, with a fresh round (resumeMail)
			how = waitingHow
		}
		return leaveWaiting(sentCtx, opts, rec.Day, attempt, how,
			waiting{To: to, Refused: refused, Deferrals: deferred, Unattached: w.Unattached}, first, last)
	}
	o := refusedText(refused, deferred, "for now, given up after "+syncd.Counted(attempt, "attempt", "attempts"))
	recorded := withUnattached(o, w.Unattached)
	if err := opts.Store.SetMailState(sentCtx, rec.Day, MailSent, attempt, recorded.text, recorded.note); err != nil {
		return errors.Join(last, sentUnrecorded(opts, rec.Day, attempt, recorded, err))
	}
	if o.text == "" || first == nil && last == nil {
		opts.Log.Info().Str("day", rec.Day).Int("attempt", attempt).Msg("report mailed to the recipients refused for now")
		return nil
	}
	if first == nil {
		return fmt.Errorf("mail partly refused: %w", last)
	}
	if last != first {
		return fmt.Errorf("mail partly refused: %w; then: %w", first, last)
	}
	return fmt.Errorf("mail partly refused: %w", first)
}

// waitingHow follows each recipient refused only for now that the daemon
// mails again: at its back-off, then at the scheduler's retries until the
// server takes it.
const waitingHow = "for now, trying again"

// leftForTheDaemon follows each recipient a command that tried once
// (Options.LeaveWaiting) leaves waiting.
const leftForTheDaemon = "for now, left for the daemon to mail again alone (at its next report run or start)"

// WaitingForNow counts the recipients of rec's mail, sent to the others,
// that the server refused only for now and that wait to be mailed again
// (the daemon's retries, or left for it by a command): those its
// Record.MailWaiting names. Before, they were counted in the words of
// Refused's who, which a server's own answer could hold.
func WaitingForNow(rec Record) int {
	if rec.Mail != MailSent {
		return 0
	}
	w, ok, err := parseWaiting(rec.MailWaiting)
	if !ok || err != nil {
		return 0
	}
	return len(w.To)
}

// leaveWaiting records the recipients in w, refused only for now after
// attempts, as waiting for the daemon (Options.LeaveWaiting), or for the
// scheduler's next retry, each followed by how, and returns the partial
// refusal.
func leaveWaiting(ctx context.Context, opts Options, day string, attempts int, how string, w waiting, first, last error) error {
	o := withUnattached(refusedText(w.Refused, w.Deferrals, how), w.Unattached)
	state, err := json.Marshal(w)
	if err == nil {
		err = opts.Store.SetMailWaiting(ctx, day, attempts, o.text, o.note, string(state))
	}
	if err != nil {
		return errors.Join(last, sentUnrecorded(opts, day, attempts, o, err))
	}
	if last != first {
		return fmt.Errorf("mail partly refused: %w; then: %w", first, last)
	}
	return fmt.Errorf("mail partly refused: %w", first)
}

// resumeWaiting mails rec's workbook again to the recipients a stop left
// waiting (Record.MailWaiting, refused only for now), alone, counting on
// from the attempts recorded up to limit in all: the others got it.
func resumeWaiting(ctx context.Context, opts Options, rec Record, w waiting, limit int) error {
	if _, ok := opts.Mailer.(pendingMailer); !ok {
		return errors.New("mail: the mailer sends to every recipient only")
	}
	subject, body := mailText(rec)
	send := func(to []string) error {
		_, err := sendReport(ctx, opts.Mailer, to, subject, body, rec.HTML, rec.Path)
		return err
	}
	opts.Log.Info().Str("day", rec.Day).Int("recipients", len(w.To)).
		Msg("report to be mailed again, at the back-off, to the recipients recorded as refused only for now")
	return deliverPending(ctx, opts, rec, send, rec.Attempts, limit, opts.MailBackoff, w, nil)
}

// stoppedWaiting is deliverPending's error when ctx ended while
// recipients waited: they are recorded, for the next start.
func stoppedWaiting(ctx context.Context, first error) error {
	err := fmt.Errorf("mail: recipients refused for now left for the next start: %w", ctx.Err())
	if first == nil {
		return err
	}
	return fmt.Errorf("mail partly refused: %w; %w", first, err)
}

// refusedText is what is recorded beside a mail sent to some recipients:
// those refused for good, and those only for now, each followed by how
// that stands; none when there are none.
func refusedText(refused, waiting []string, how string) outcome {
	who := append([]string(nil), refused...)
	for _, w := range waiting {
		who = append(who, w+" "+how)
	}
	if len(who) == 0 {
		return outcome{}
	}
	joined := strings.Join(who, "; ")
	return outcome{text: fmt.Sprintf(refusedFormat, len(who)) + joined, note: MailNote{Refused: len(who), RefusedWho: joined}}
}

// sleep waits d, or until ctx ends: false then.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
