package main

import (
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestStatusSaysNoDaemonMailsTheRecipientsWaiting: the last report's mail
// left a recipient refused only for now waiting ("for now, trying again",
// or left for the daemon by syncd report -mail), and no daemon runs:
// status said "trying again" though nothing would try until one started.
// Offline it says they go when the daemon starts; beside a daemon, or for
// a recipient refused for good, it adds nothing, even where the server's
// own answer has the words of one waiting (how many wait is kept apart
// from the words since session 38: ReportWaiting).
func TestStatusSaysNoDaemonMailsTheRecipientsWaiting(t *testing.T) {
	t.Parallel()
	const note = "no daemon answers here to mail those refused for now: they go when it starts"
	waiting := "d@greylist.example (450 4.7.1 greylisted) for now, trying again"
	for _, tc := range []struct {
		name       string
		who        string
		offline    bool
		shared     bool
		noneServes bool
		waiting    int
		want       bool
	}{
		{"offline, trying again", waiting, true, false, false, 1, true},
		{"offline, left by report -mail", "d@greylist.example (450 4.7.1 greylisted) for now, left for the daemon to mail again alone (at its next report run or start)", true, false, false, 1, true},
		{"no PostgreSQL instance runs", waiting, true, true, true, 1, true},
		{"another PostgreSQL instance runs", waiting, true, true, false, 1, false},
		{"beside the daemon", waiting, false, false, false, 1, false},
		{"refused for good", "gone@example.com (550 5.1.1 no such user)", true, false, false, 0, false},
		{"refused for good, in a waiting one's words", "gone@example.com (550 5.7.1 rejected (policy) for now, trying again is useless)", true, false, false, 0, false},
	} {
		s := Snapshot{ReportDay: "2026-04-03", LastReport: time.Now(), ReportMail: string(report.MailSent), ReportRefused: 1,
			ReportRefusedWho: tc.who, ReportWaiting: tc.waiting, Offline: tc.offline, Shared: tc.shared, NoneServes: tc.noneServes}
		if got := reportLine(s); strings.Contains(got, note) != tc.want {
			t.Errorf("%s: %q; want the note %v", tc.name, got, tc.want)
		}
	}
}
