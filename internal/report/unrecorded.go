package report

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// unrecordedError is a report mailed whose mailing could not be recorded
// (a full disk, say): the mail went out.
type unrecordedError struct{ err error }

func (e *unrecordedError) Error() string {
	return "mailed, but recording that failed (mailing it again would mail it twice): " + e.err.Error()
}

func (e *unrecordedError) Unwrap() error { return e.err }

// Mailed reports whether err, from Make or Mail, says the report was mailed
// and only recording that failed; false for nil.
func Mailed(err error) bool {
	var u *unrecordedError
	return errors.As(err, &u)
}

// mailedDay is a mailing that went out and is not recorded yet: the state
// to record.
type mailedDay struct {
	attempts int
	sent     outcome // a partial refusal, or without the workbook; zero when neither
}

// unrecorded keeps, for the life of the scheduler's process, the reports
// mailed whose mailing the store did not take: a retry records them
// instead of mailing them again. A restart forgets them (the report is
// recorded as pending, and mailed once more).
type unrecorded struct {
	mu   sync.Mutex
	days map[string]mailedDay
}

func (u *unrecorded) add(day string, m mailedDay) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.days == nil {
		u.days = map[string]mailedDay{}
	}
	u.days[day] = m
}

// record records day's mailing if it went out unrecorded: done says it
// did, err whether the store took it now.
func (u *unrecorded) record(ctx context.Context, opts Options, day string) (done bool, err error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	m, ok := u.days[day]
	if !ok {
		return false, nil
	}
	if err := opts.Store.SetMailState(ctx, day, MailSent, m.attempts, m.sent.text, m.sent.note); err != nil {
		return true, fmt.Errorf("report %s: %w", day, &unrecordedError{err})
	}
	delete(u.days, day)
	opts.Log.Info().Str("day", day).Int("attempt", m.attempts).Msg("report mail recorded (mailed before, not mailed again)")
	return true, nil
}

// sentUnrecorded is what deliver returns when the store did not take the
// mailing of day (state MailSent as sent says): it tells opts.unrecorded.
func sentUnrecorded(opts Options, day string, attempts int, sent outcome, err error) error {
	if opts.unrecorded != nil {
		opts.unrecorded.add(day, mailedDay{attempts: attempts, sent: sent})
	}
	return &unrecordedError{err}
}
