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
// a recipient refused for good, it adds nothing.
func TestStatusSaysNoDaemonMailsTheRecipientsWaiting(t *testing.T) {
	const note = "no daemon answers here to mail those refused for now: they go when it starts"
	waiting := "d@greylist.example (450 4.7.1 greylisted) for now, trying again"
	for _, tc := range []struct {
		name       string
		who        string
		offline    bool
		shared     bool
		noneServes bool
		want       bool
	}{
		{"offline, trying again", waiting, true, false, false, true},
		{"offline, left by report -mail", "d@greylist.example (450 4.7.1 greylisted) for now, left for the daemon to mail again alone (at its next report run or start)", true, false, false, true},
		{"no PostgreSQL instance runs", waiting, true, true, true, true},
		{"another PostgreSQL instance runs", waiting, true, true, false, false},
		{"beside the daemon", waiting, false, false, false, false},
		{"refused for good", "gone@example.com (550 5.1.1 no such user)", true, false, false, false},
	} {
		s := Snapshot{ReportDay: "2026-04-03", LastReport: time.Now(), ReportMail: string(report.MailSent), ReportRefused: 1,
			ReportRefusedWho: tc.who, Offline: tc.offline, Shared: tc.shared, NoneServes: tc.noneServes}
		if got := reportLine(s); strings.Contains(got, note) != tc.want {
			t.Errorf("%s: %q; want the note %v", tc.name, got, tc.want)
		}
	}
}
