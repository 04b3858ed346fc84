package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/metrics"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// heldCount says how many leads wait while the mapping is held, "" when
// not read (n < 0).
func heldCount(n int) string {
	if n < 0 {
		return ""
	}
	return " (" + syncd.Counted(n, "lead waits", "leads wait") + " to be mapped)"
}

// writeStatus prints s for a person at a terminal: which daemon it
// describes, outbox depth and its oldest pending operation, dead letters,
// last sync per adapter, last report, whether each adapter is paused, event
// totals and a rejected reload. Times are in clk's zone with their age
// relative to s.At.
func writeStatus(w io.Writer, clk clock, s Snapshot) error {
	tw := newTable(w)
	p := statusPage{tw: tw, clk: clk, s: s}
	for _, part := range []func(){p.header, p.databaseLost, p.databaseDamaged, p.databaseInMemory, p.upgradeCopy, p.refusing, p.outbox, p.lastReport,
		p.adapters, p.mapping, p.events, p.waiting, p.config} {
		part()
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write status: %w", err)
	}
	return nil
}

// quarantinedCount says how many deliveries were kept in the quarantine:
// those not read, and the changed deliveries of a stored lead, which are
// duplicates too. The line said "1 duplicate, 0 quarantined" of a changed
// delivery while the quarantine line below said "1 body WAITS".
func quarantinedCount(e EventTotals) string {
	n := fmt.Sprintf("%d quarantined", e.Quarantined+e.Changed)
	if e.Changed > 0 {
		n += fmt.Sprintf(" (%d of them a changed delivery of a stored lead, a duplicate too)", e.Changed)
	}
	return n
}

// instanceOf names, with a space after it, the instance of a cluster
// whose own figures s gives ("the instance at ADDR "), or "" for the one
// daemon of an SQLite store.
func instanceOf(s Snapshot) string {
	if s.Instance == "" {
		return ""
	}
	return "the instance at " + s.Instance + " "
}

// needsAttention says whether s shows something an operator must act on
// (what status prints in capitals): the database lost or unreadable,
// deliveries refused (the store failing), dead
// letters, the database found damaged, operations waiting for a CRM not configured, a paused adapter,
// a CRM failing every call for half an hour, a failing CRM account check,
// a report's mail that failed, was refused for some recipients or went
// without the workbook, a
// mapping worker stuck or held, quarantined bodies waiting for a person, leads
// unmappable waiting for a person (not dealt with), a
// rejected reload, configuration or mapping files changed on disk and not
// reloaded, settings reloaded that only a restart takes, erasures a restored backup undid that syncd could not
// make again. Whether a daemon answers is the caller's to judge.
func (s Snapshot) needsAttention() bool {
	if s.DatabaseLost || s.DatabaseDamaged || s.Refusing || s.Unreadable != "" || !s.OutboxKnown || s.DeadLetters() > 0 || s.ReportMailFailed || s.ReportNotMade != "" || refusedShown(s) || unattachedShown(s) || s.ReloadFailed || s.Stale != "" || len(s.RestartNeeded) > 0 ||
		!s.MappingStuckSince.IsZero() || !s.MappingHeldSince.IsZero() || s.QuarantineWaiting > 0 || s.Unmappable > 0 ||
		s.Restore != nil && len(s.Restore.Undone) > 0 || s.ErasureLogUnread != "" {
		return true
	}
	for _, d := range s.Outbox {
		if s.waitingForGone(d) > 0 {
			return true
		}
	}
	for _, a := range s.Adapters {
		if a.Paused || a.Checked && a.CheckProblems != 0 || a.crmDown(s.At) || len(a.StuckOps) > 0 {
			return true
		}
	}
	return false
}

// rateLimitHint is what to look at when the CRM refuses every call for
// its rate limit.
const rateLimitHint = "look at what else calls the CRM with this token (another integration, a script) and at the plan's API limits;" +
	" syncd keeps within the Retry-After the CRM gives"

// failingWhat says what fails of a CRM failing every call: the CRM
// refusing for its rate limit, or every call failing (no answer, 5xx).
func failingWhat(a AdapterStatus) string {
	if syncer.RateLimited(a.FailingWhy) {
		return "every CRM call refused for its rate limit (" + a.FailingWhy + ")"
	}
	return "every CRM call failing"
}

// crmGoes says how what waits for a CRM failing every call goes out: by
// itself, or, when nothing serves the database, with syncd sync.
func crmGoes(s Snapshot) string {
	if s.NoneServes {
		w := serving{s.Shared}
		return "go once it answers, with syncd sync or " + w.started() + " (" + w.noneServes() + ")"
	}
	return "go out by themselves once it answers"
}

// crmDownAttention is how long every CRM call may fail before status
// calls it: the README's "CRM sync stuck" alert waits as long for the last
// sync.
const crmDownAttention = 30 * time.Minute

// liftedNotTaken says whether a is paused in the daemon though the database
// holds no pause: lifted by another process (syncd sync -resume), which the
// daemon takes at its next sync run. Status said "PAUSED" alone meanwhile.
func (a AdapterStatus) liftedNotTaken() bool {
	return a.Paused && a.PauseLifted
}

// crmDown says whether every CRM call of a has failed for crmDownAttention
// or more at at: the CRM is down, not having a blip.
func (a AdapterStatus) crmDown(at time.Time) bool {
	return !a.FailingSince.IsZero() && !at.IsZero() && at.Sub(a.FailingSince) >= crmDownAttention
}

// pendingOf says how many operations wait for target: "12 pending", or
// "pending" when the outbox could not be read.
func pendingOf(s Snapshot, target string) string {
	for _, d := range s.Outbox {
		if d.Target == target {
			return fmt.Sprintf("%d pending", d.Pending)
		}
	}
	return "pending"
}

// outboxLines gives one line per CRM target, and under it how many of its
// pending operations a lease holds, until when.
func outboxLines(s Snapshot, clk clock) []string {
	switch {
	case !s.OutboxKnown:
		return []string{"unknown (the outbox could not be queried)"}
	case len(s.Outbox) == 0:
		return []string{"empty"}
	}
	var lines []string
	for _, d := range s.Outbox {
		line := fmt.Sprintf("%s: %d pending", d.Target, d.Pending)
		if d.Pending > 0 && !d.OldestPending.IsZero() && !s.At.IsZero() {
			line += fmt.Sprintf(" (oldest %s)", age(s.At.Sub(d.OldestPending)))
		}
		line += fmt.Sprintf(", %d done, %d dead", d.Done, d.Dead)
		if d.GivenUp > 0 {
			line += fmt.Sprintf(" (%d of them given up by hand)", d.GivenUp)
		}
		lines = append(lines, line)
		if pace := paceLine(d.Pending, s.Sent[d.Target], s.sendsNothing(d.Target), s.At); pace != "" {
			lines = append(lines, pace)
		}
		if d.Leased > 0 && (s.At.IsZero() || d.LeaseUntil.After(s.At)) {
			lines = append(lines, fmt.Sprintf("  %d of them held by a lease until %s: being sent now, or held by a syncd that "+
				"stopped mid-send; nothing else sends them before then (syncd outbox list marks them)", d.Leased, clk.show(d.LeaseUntil)))
		}
		if n := s.waitingForGone(d); n > 0 {
			lines = append(lines, fmt.Sprintf("  NOT SENT: %s for %s, which crm.kind (%s) no longer names: "+
				"nothing sends them%s", syncd.Counted(n, "operation waits", "operations wait"), d.Target, s.Adapters[0].Name, keptBodies(d.Pending)),
				"  "+dropHint(d.Target, s.Adapters[0].Name))
		}
		lines = append(lines, dryRunLines(s, d, clk)...)
	}
	return lines
}

// sendsNothing says whether the adapter sending to target sends nothing now:
// paused, or every CRM call failing. The pace of what went before says
// nothing of when the pending will have gone: status said "the 2 pending
// go in about 1m at that pace" while every call failed.
func (s Snapshot) sendsNothing(target string) bool {
	return slices.ContainsFunc(s.Adapters, func(a AdapterStatus) bool {
		return a.Name == target && (a.Paused || !a.FailingSince.IsZero())
	})
}

// waitingForGone is how many operations of d, pending or dead, wait for a
// CRM none of s's adapters sends to (crm.kind changed since): 0 when d's
// target is configured, or no adapter reported yet. Those given up by
// hand (syncd outbox give-up) wait for nothing: the operator dealt with
// them.
func (s Snapshot) waitingForGone(d metrics.OutboxDepth) int {
	if len(s.Adapters) == 0 || slices.ContainsFunc(s.Adapters, func(a AdapterStatus) bool { return a.Name == d.Target }) {
		return 0
	}
	return d.Pending + d.Dead - d.GivenUp
}

func deadLine(s Snapshot) string {
	given := ""
	if n := s.GivenUp(); n > 0 {
		given = fmt.Sprintf("; %d given up by hand (syncd outbox give-up): no alarm, syncd outbox list -state dead lists them", n)
	}
	switch erased := s.OtherAccountGivenUp(); { // no retry sends those: nothing left to do
	case s.GivenUp() == 0:
	case erased == 0:
		given += ", syncd outbox retry ID sends one again"
	case erased == s.GivenUp():
		given += "; " + syncd.Noun(erased, "a CRM erasure", "CRM erasures") + " of the account syncd wrote to before syncd crm forget-links, recorded as erased by hand there:" +
			" never sent, nothing left to do"
	default:
		given += fmt.Sprintf("; %d of them %s of the account syncd wrote to before syncd crm forget-links, recorded as"+
			" erased by hand there: never sent, nothing left to do; syncd outbox retry ID sends one of the others again", erased,
			syncd.Noun(erased, "a CRM erasure", "CRM erasures"))
	}
	switch {
	case !s.OutboxKnown:
		return "unknown"
	case s.DeadLetters() == 0:
		return "0" + given
	}
	what := "operations the CRM sync gave up on (syncd outbox show ID says why: syncd outbox retry ID once it is fixed, " +
		"or syncd outbox give-up ID once it is dealt with by hand in the CRM)"
	if n := s.OtherAccount(); n > 0 {
		other := syncd.Noun(n, "CRM erasure", "CRM erasures") + " of the account syncd wrote to before syncd crm forget-links, never sent (their CRM ids " +
			"name other records in this one): erase those people there by hand, " + s.otherAccountWayOut(n) +
			" (syncd outbox list -state dead shows them)"
		if what = other; n < s.DeadLetters() {
			what = fmt.Sprintf("%s the CRM sync gave up on, and %d %s", syncd.Counted(s.DeadLetters()-n, "operation", "operations"), n, other)
		}
	}
	return fmt.Sprintf("%d  NEEDS ATTENTION: %s%s", s.DeadLetters(), what, given)
}

// otherAccountWayOut is what takes the n CRM erasures of an earlier
// account once done by hand: outbox give-up, or for those of a CRM
// crm.kind no longer names (which give-up refuses) outbox drop -erasures.
func (s Snapshot) otherAccountWayOut(n int) string {
	var drops []string
	gone := 0
	for _, d := range s.Outbox {
		if d.OtherAccount > 0 && s.waitingForGone(d) > 0 {
			drops = append(drops, "syncd outbox drop -crm "+d.Target+" -erasures")
			gone += d.OtherAccount
		}
	}
	switch {
	case gone == 0:
		return "then syncd outbox give-up ID"
	case gone == n:
		return "then " + strings.Join(drops, ", ")
	}
	return "then syncd outbox give-up ID (those of a CRM crm.kind no longer names: " + strings.Join(drops, ", ") + ")"
}

// when prints a time with its age at at, or "never".
func when(clk clock, t, at time.Time) string {
	if t.IsZero() {
		return "never"
	}
	if at.IsZero() || t.After(at) {
		return clk.show(t)
	}
	return fmt.Sprintf("%s (%s ago)", clk.show(t), age(at.Sub(t)))
}

// first labels the first line of a group and leaves the rest blank.
func first(i int, label string) string {
	if i == 0 {
		return label
	}
	return ""
}

func shortRev(r string) string {
	if len(r) > 12 {
		return r[:12]
	}
	return strings.TrimSpace(r)
}

// reportLine says which day the last report was of and how its mail went
// (a failed mail has a line of its own).
func reportLine(s Snapshot) string {
	if s.ReportDay == "" || s.LastReport.IsZero() {
		return ""
	}
	line := ", of " + s.ReportDay
	switch report.MailState(s.ReportMail) {
	case report.MailSent:
		line += ", mailed"
		if unattachedShown(s) { // the mailer's words say how large, and where it is
			line += " WITHOUT the workbook: " + cmp.Or(s.ReportUnattachedWhy, "too large for the mail server")
		}
		if refusedShown(s) {
			line += fmt.Sprintf(", but REFUSED for %s", syncd.Counted(s.ReportRefused, "recipient", "recipients"))
			if s.ReportRefusedWho != "" {
				line += ": " + s.ReportRefusedWho
			}
			if s.ReportWaiting > 0 && (s.Shared && s.NoneServes || !s.Shared && s.Offline) {
				line += "; no daemon answers here to mail those refused for now: they go when it starts"
			}
		}
	case report.MailPending:
		if s.ReportMailFailed { // a round of attempts used up: the next line says why, and who retries
			return line + ", its mail NOT SENT: nobody has it yet"
		}
		return line + pendingMailLine(s)
	case report.MailKept:
		line += ", kept from before the restore (whether it was mailed is not recorded)"
	}
	return line
}

// lookLine says, where status said "last report never", that a report
// made by hand of a day not over is a look at part of it, not the day's
// report, and when the day's comes.
func lookLine(s Snapshot, when func(time.Time) string) string {
	r := s.ReportLook
	if r.Day == "" || !s.LastReport.IsZero() {
		return ""
	}
	return fmt.Sprintf("the report of %s made by hand at %s, before that day was over, is a look at part of it: "+
		"the day's own is made once it is over, at report.schedule (or by hand then: syncd report -date %[1]s)", r.Day, when(r.CreatedAt))
}

// pendingMailLine says who sends the last report's mail, pending: the
// daemon; on a shared database the instance leading the report, which
// status asking another that does not answer said nobody did ("no daemon
// answers here to retry it"); or nothing until one starts.
func pendingMailLine(s Snapshot) string {
	now := " (now: syncd report -date " + s.ReportDay + " -mail)"
	switch who, leads := s.Leaders["report"]; {
	case leads:
		return ", its mail PENDING: being sent or retried by the instance leading the report, " + who + " (why: its log)"
	case s.Shared && s.NoneServes:
		return ", its mail PENDING: not sent yet, and no syncd instance runs on this database to retry it: it goes when one starts" + now
	case s.Shared && s.Leaders != nil:
		return ", its mail PENDING: not sent yet: it goes once an instance takes the lead of the report (syncd status again says which)" + now
	case s.Offline: // nothing retries it until a daemon starts
		return ", its mail PENDING: not sent yet, and no daemon answers here to retry it: it goes when the daemon starts" + now
	}
	return ", its mail PENDING: being sent or retried (why: the log)"
}

// heldMailRetry says who tries again the last report's mail, which the
// mail server did not take for a round of attempts (not reached, or
// answering 4xx), and when: the daemon (on a shared database the instance
// leading the report) at the scheduler's retries, or nothing until one
// starts.
func heldMailRetry(s Snapshot) string {
	when := fmt.Sprintf("at waits growing from %s to %s, until the server takes it",
		syncd.HowLong(report.DefaultRetryAfter), syncd.HowLong(report.RetryAtMost))
	switch who, leads := s.Leaders["report"]; {
	case leads:
		return "the instance leading the report, " + who + ", keeps trying it " + when
	case s.Shared && s.NoneServes:
		return "no syncd instance runs on this database to try it again: it goes when one starts, if the server takes it then"
	case s.Shared && s.Leaders != nil:
		return "it is tried again once an instance takes the lead of the report (syncd status again says which)"
	case s.Offline:
		return "no daemon answers here to try it again: it goes when the daemon starts, if the server takes it then"
	}
	return "the daemon keeps trying it " + when
}

// unattachedShown says whether s's last report was mailed without the
// workbook, too large for the mail server: the recipients lack it.
func unattachedShown(s Snapshot) bool {
	return s.ReportUnattached && report.MailState(s.ReportMail) == report.MailSent && !s.LastReport.IsZero()
}

// refusedShown says whether s's last report was mailed with some
// recipients refused: they got no copy, which needs a person.
func refusedShown(s Snapshot) bool {
	return s.ReportRefused > 0 && report.MailState(s.ReportMail) == report.MailSent && !s.LastReport.IsZero()
}

// checkAgain says, of the failed account check of a (the daemon's; on
// a shared database that of the instance leading sync), when it ran and
// when it runs again: `syncd crm check` by hand records nothing, so status
// said FAILING, exit 5, for up to 15 minutes after the account was fixed
// and syncd crm check said ok, with no word of why.
func checkAgain(a AdapterStatus, when func(time.Time) string, s Snapshot) string {
	w, who := serving{s.Shared}, "the daemon's check"
	if s.Shared {
		who = "the check of the instance leading sync"
	}
	if !a.CheckedAt.IsZero() {
		who += " at " + when(a.CheckedAt)
	}
	switch {
	case s.NoneServes:
		return fmt.Sprintf(" (%s; it runs again %s)", who, w.started())
	case a.liftedNotTaken():
		return fmt.Sprintf(" (%s; it runs again at the daemon's next sync run, which takes the pause lifted)", who)
	case a.Paused:
		return fmt.Sprintf(" (%s; once syncd crm check says ok, it runs again at syncd sync -resume, or as the pause ends)", who)
	}
	return fmt.Sprintf(" (%s; once syncd crm check says ok, it clears as it runs again: at once on systemctl reload syncd, "+
		"else within %d minutes while CRM calls go through)", who, int(recheckEvery.Minutes()))
}

// checkLine says how the last CRM account check went (when, times
// shown by when). A check that passed before the CRM refused a record for
// the account's configuration, pausing a (the check runs again as the
// pause ends, 2 minutes on), is said to be that: a bare "ok" beside the
// pause read as if the account had passed a check since; so is one that
// passed before the CRM refused the token (revoked since). A failed check
// says whose it was and when it runs again (checkAgain).
func checkLine(a AdapterStatus, when func(time.Time) string, s Snapshot) string {
	switch {
	case a.CheckProblems < 0:
		return "COULD NOT RUN: see the journal; run syncd crm check"
	case a.CheckProblems > 0:
		return fmt.Sprintf("FAILING, %s: run syncd crm check%s", syncd.Counted(a.CheckProblems, "problem", "problems"), checkAgain(a, when, s))
	case a.Paused && a.PauseKind == syncd.PauseConfigUnseen:
		at := ""
		if !a.CheckedAt.IsZero() {
			at = ", at " + when(a.CheckedAt)
		}
		return "ok when it last ran" + at + ", and it cannot see what the CRM refused (the pause above): " +
			"do what the pause says; a check that passes changes nothing"
	case a.Paused && a.PauseKind.Configuration():
		at := ""
		if !a.CheckedAt.IsZero() {
			at = ", at " + when(a.CheckedAt)
		}
		return "ok when it last ran" + at + ", before the CRM refused a record for the account's configuration (the pause above):" +
			" it runs again as the pause ends; syncd crm check runs it now"
	case a.Paused && a.PauseKind == syncd.PauseToken:
		at := ""
		if !a.CheckedAt.IsZero() {
			at = ", at " + when(a.CheckedAt)
		}
		return "ok when it last ran" + at + ", before the CRM refused the token (the pause above): it runs again once the token" +
			" is reloaded (systemctl reload syncd) or at syncd sync -resume; syncd crm check runs it now"
	}
	return "ok"
}
