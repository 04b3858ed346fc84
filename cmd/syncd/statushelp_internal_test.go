package main

import (
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestStatusHelpNamesEveryWayToExitFive: status exits 5 for a report
// mailed without its workbook and for an erasure log that does not read,
// while its -h, which a monitoring script's author reads to learn what
// exit 5 means, named neither. Each Snapshot below makes status exit 5
// (needsAttention), and the -h names it in the words given.
func TestStatusHelpNamesEveryWayToExitFive(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	help := strings.Join(statusExits(), "\n")
	for _, c := range []struct {
		what string
		s    Snapshot
		help string // in the -h's line for 5
	}{
		{"a report mailed without its workbook",
			Snapshot{OutboxKnown: true, LastReport: now, ReportMail: string(report.MailSent), ReportUnattached: true},
			"without the workbook"},
		{"an erasure log that does not read",
			Snapshot{OutboxKnown: true, ErasureLogUnread: "erasures.log: permission denied"},
			"ERASURE LOG UNREADABLE"},
		{"an erasure a restored backup undid",
			Snapshot{OutboxKnown: true, Restore: &RestoreStatus{Undone: []time.Time{now}}},
			"ERASURE UNDONE"},
	} {
		if !c.s.needsAttention() {
			t.Errorf("%s: needs no attention, want exit 5", c.what)
		}
		if !strings.Contains(help, c.help) {
			t.Errorf("%s: status -h does not say %q:\n%s", c.what, c.help, help)
		}
	}
}
