package report

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
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

// deliverPending goes on mailing rec's workbook with send, after attempt reached some
// recipients, to those p says the server refused only for now (a 4xx:
// greylisting), alone: the others are not mailed again. Meanwhile the mail
// is recorded as sent, with them beside those refused for good ("for now,
// trying again"): a restart does not mail the others again (nor, then,
// these). It ends with those still refused recorded, after limit attempts
// in all at the latest.
func deliverPending(ctx context.Context, opts Options, rec Record, send func(to []string) error,
	attempt, limit int, wait time.Duration, p pending) error {
	refused, to, waiting := p.Refusals(), p.Pending(), p.Deferrals()
	sentCtx := context.WithoutCancel(ctx)
	last := error(p)
	for len(to) > 0 && attempt < limit && ctx.Err() == nil {
		text := refusedText(refused, waiting, "for now, trying again")
		if err := opts.Store.SetMailState(sentCtx, rec.Day, MailSent, attempt, text); err != nil {
			return errors.Join(last, sentUnrecorded(opts, rec.Day, attempt, text, err))
		}
		if !sleep(ctx, wait) {
			break
		}
		wait *= 2
		attempt++
		err := send(to)
		var again pending
		var tmp interface{ Temporary() bool }
		switch {
		case err == nil:
			to, waiting = nil, nil
		case errors.As(err, &again) && again.Partial(): // some took it
			last = err
			refused = append(refused, again.Refusals()...)
			to, waiting = again.Pending(), again.Deferrals()
		case errors.As(err, &tmp) && tmp.Temporary():
			last = err
		default: // refused for good now
			last = err
			for _, a := range to {
				refused = append(refused, a+" ("+err.Error()+")")
			}
			to, waiting = nil, nil
		}
		if err != nil {
			opts.Log.Warn().Err(err).Str("day", rec.Day).Int("attempt", attempt).Msg("mail report to the recipients refused for now")
		}
	}
	text := refusedText(refused, waiting, fmt.Sprintf("for now, given up after %d attempt(s)", attempt))
	if err := opts.Store.SetMailState(sentCtx, rec.Day, MailSent, attempt, text); err != nil {
		return errors.Join(last, sentUnrecorded(opts, rec.Day, attempt, text, err))
	}
	if text == "" {
		opts.Log.Info().Str("day", rec.Day).Int("attempt", attempt).Msg("report mailed to the recipients refused for now")
		return nil
	}
	if last != error(p) {
		return fmt.Errorf("mail partly refused: %w; then: %w", p, last)
	}
	return fmt.Errorf("mail partly refused: %w", p)
}

// refusedText is the error recorded beside a mail sent to some
// recipients: those refused for good, and those only for now, each
// followed by how that stands; "" when there are none.
func refusedText(refused, waiting []string, how string) string {
	who := append([]string(nil), refused...)
	for _, w := range waiting {
		who = append(who, w+" "+how)
	}
	if len(who) == 0 {
		return ""
	}
	return fmt.Sprintf(refusedFormat, len(who)) + strings.Join(who, "; ")
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
