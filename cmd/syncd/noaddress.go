package main

import (
	"errors"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// whoRefused is where an operator reads which recipients of
// report.mail.to the mail server refuses, the log naming none.
const whoRefused = "syncd validate -mail sends a test message to report.mail.to and names each recipient the server refuses: " +
	"correct or remove those in report.mail.to"

// lateNotTold logs the late notice's mail error err for day: at warn,
// how many recipients were refused when others were told, or, when none
// was told, the error with no address in it (and, when it named some,
// where to see who); the error as it is at debug.
func (n *reportLate) lateNotTold(day string, err error) {
	var me *mail.Error
	if errors.As(err, &me) && me.Partial() {
		n.log.Warn().Str("day", day).Int("refused_for_good", len(me.Refusals())).Int("refused_for_now", len(me.Deferrals())).
			Str("fix", whoRefused).Msg("report late: some of its recipients told, the mail server refused the others")
	} else {
		ev := n.log.Warn().Str("error", syncd.WithoutAddresses(err.Error())).Str("day", day)
		if syncd.WithoutAddresses(err.Error()) != err.Error() { // who is refused, said where the log does not say it
			ev = ev.Str("fix", whoRefused)
		}
		ev.Msg("report late: its recipients could not be told")
	}
	n.log.Debug().Err(err).Str("day", day).Msg("report late: the mail server's answer")
}
