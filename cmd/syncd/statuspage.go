package main

import (
	"cmp"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// statusPage is one print of syncd status: the table it writes to, the
// clock that shows its times and the snapshot it describes. Each of its
// methods writes one part of the page, in the order writeStatus calls them.
type statusPage struct {
	tw  io.Writer
	clk clock
	s   Snapshot
}

// when shows t in the page's zone with its age at the snapshot's time.
func (p statusPage) when(t time.Time) string { return when(p.clk, t, p.s.At) }

// leaders gives the time of a part's leader: on PostgreSQL, the database
// not read, the asked instance exports it only while it leads that part.
func (p statusPage) leaders(t time.Time, part string) string {
	if t.IsZero() && p.s.Shared && p.s.Unreadable != "" {
		return "unknown: the " + part + " leader's, in the database"
	}
	return p.when(t)
}

// header names the syncd that answers and the daemon it describes.
func (p statusPage) header() {
	s := p.s
	version := s.Version
	if s.Revision != "" && s.Revision != "unknown" {
		version += " (" + shortRev(s.Revision) + ")"
	}
	fmt.Fprintf(p.tw, "syncd\t%s, status at %s\n", version, p.clk.show(s.At))
	agencyLine(p.tw, s.Agency)
	if !s.Offline && s.Database != "" {
		fmt.Fprintf(p.tw, "daemon\t%srunning since %s, database %s\n", instanceOf(s), p.when(s.Started), s.Database)
	}
}

// agencyLine names the agency the configuration is for (agency:), under
// the heading's first line: several agencies' files on one server
// (syncd@NAME) give status pages alike otherwise. Nothing when none is
// named.
func agencyLine(tw io.Writer, agency string) {
	if agency != "" {
		fmt.Fprintf(tw, "agency\t%s\n", agency)
	}
}

// databaseLost says how the database file was lost under the daemon, and
// how to put it back.
func (p statusPage) databaseLost() {
	s := p.s
	switch {
	case s.DatabaseLost && s.LostSaved != "":
		fmt.Fprintf(p.tw, "database\tLOST: its file was removed or replaced under the daemon, which answers every delivery 503"+
			"\n\t  everything it held is saved in %s\n\t  stop syncd, then %s; start syncd\n",
			s.LostSaved, sqlite.PutBack(s.Database, s.LostSaved))
	case s.DatabaseLost && s.LostThere:
		fmt.Fprintf(p.tw, "database\tLOST: its file was written over under the daemon (a backup copied over it?), which answers every "+
			"delivery 503\n\t  what it stored since that copy's time is in its -wal: stop syncd; its next start says what to do\n")
	case s.DatabaseLost && s.LostWAL:
		fmt.Fprintf(p.tw, "database\tLOST: its -wal file was removed under the daemon, which answers every delivery 503"+
			"\n\t  what was committed is in the database file: restart syncd\n")
	case s.DatabaseLost:
		fmt.Fprintf(p.tw, "database\tLOST: its file was removed or renamed under the daemon, which answers every delivery 503"+
			"\n\t  stop syncd, put the file back (beside its -wal file), start syncd\n")
	}
}

// databaseDamaged says that SQLite found the database file damaged
// under the daemon, and the way out the check at start gives.
func (p statusPage) databaseDamaged() {
	if p.s.DatabaseDamaged && !p.s.DatabaseLost {
		deliveries := "deliveries it cannot store are answered 503 (senders retry)"
		if p.s.Refusing { // the damage is where deliveries are stored
			deliveries = "every delivery is answered 503, its /readyz with it (senders retry, Estate Agent Feeds for an hour only)"
		}
		fmt.Fprintf(p.tw, "database\tDAMAGED: SQLite found the file damaged under the daemon; what needs the damaged part "+
			"fails, %s\n\t  %s\n", deliveries, sqlite.DamagedWayOut(p.s.Database))
	}
}

// databaseInMemory says that the database is on a file system in memory:
// a note, not a thing that needs attention (exit 5), as a test's or a
// trial's database is rightly there (the tests' TMPDIR, /tmp on Debian 13).
func (p statusPage) databaseInMemory() {
	if p.s.InMemory != "" {
		fmt.Fprintf(p.tw, "database\tin memory (%s): %s\n\t  for a trial only; else %s\n", p.s.InMemory, inMemoryLoss, inMemoryFix(p.s.Database))
	}
}

// upgradeCopy says that the copies upgrades took are beside the
// database: the newest the way back to the older syncd, and each every
// lead held then, out of the retention's and erasures' reach until
// deleted. A note, not a thing that needs attention (exit 5).
func (p statusPage) upgradeCopy() {
	cs := p.s.UpgradeCopies
	for i, c := range cs {
		what := "the way back to the older syncd"
		if i > 0 {
			what = "an earlier upgrade's"
		}
		fmt.Fprintf(p.tw, "%s\t%s (schema %d, %s, taken %s): %s\n", first(i, "upgrade copy"),
			c.Path, c.Schema, megabytes(c.Size), when(p.clk, c.TakenAt, p.s.At), what)
	}
	switch {
	case len(cs) == 1:
		fmt.Fprintf(p.tw, "\t  it holds every lead held before the upgrade: delete it once this syncd runs well\n")
	case len(cs) > 1:
		fmt.Fprintf(p.tw, "\t  each holds every lead held before its upgrade: delete them once this syncd runs well\n")
	}
}

// misrouted guesses why bodies were not of their source's kind, naming
// the routes that took them: another sender given those URLs. It named
// Lokalebasen's /hooks/eaf/... whichever route took them.
func misrouted(sources []string) string {
	if len(sources) == 0 { // a daemon too old to label them
		return "a sender given another source's URL?"
	}
	urls := make([]string, len(sources))
	for i, s := range sources {
		urls[i] = "/hooks/" + s + "/..."
	}
	return "another sender given the URL " + strings.Join(urls, " or ") + "?"
}

// refusing says that every delivery is answered 503, and why; then what
// this status could not read.
func (p statusPage) refusing() {
	s := p.s
	if s.Refusing && !s.DatabaseDamaged { // the damaged line says it, and that it does not mend by itself
		cause := "its disk full or read-only: df -h, and mount for \"ro\"; or its database locked by another process: fuser -v " +
			cmp.Or(s.Database, "DB") + "; why: the log, \"store\" and \"not ready\""
		if s.Shared { // PostgreSQL: another host's disk, or no disk at all
			cause = "the database takes none of its writes; why: the database line below when status cannot read it either, and the log, \"database not answering\", \"store\" and \"not ready\""
		}
		refused := "REFUSED"
		if !s.DownSince.IsZero() {
			refused = "REFUSED since " + p.when(s.DownSince) + ", when the database stopped answering"
		}
		fmt.Fprintf(p.tw, "deliveries\t"+refused+": the daemon's /readyz answers 503, and every delivery is answered 503 with it: the store fails"+
			" (%s)\n\t  senders retry, Estate Agent Feeds for an hour only;"+
			" the daemon stores again by itself once the store works\n", cause)
	}
	if s.Unreadable != "" {
		fmt.Fprintf(p.tw, "database\tCANNOT BE READ from here: %s\n\t  what follows is this daemon's own view (the leaders' and the cluster's are in the database)\n", s.Unreadable)
	}
	if s.NotReadHere != "" {
		fmt.Fprintf(p.tw, "database\tnot read by this status: %s\n\t  the daemon's view follows; what only the database says (a restored backup, times no syncd received, "+
			"which leads wait for a person: the daemon counts them) needs status run as the daemon's user or root\n", s.NotReadHere)
	}
}

// outbox gives the outbox's depth, its dead letters and each adapter's
// last sync.
func (p statusPage) outbox() {
	s := p.s
	for i, line := range outboxLines(s, p.clk) {
		fmt.Fprintf(p.tw, "%s\t%s\n", first(i, "outbox"), line)
	}
	fmt.Fprintf(p.tw, "dead letters\t%s\n", deadLine(s))
	if len(s.Adapters) == 0 {
		fmt.Fprintf(p.tw, "last sync\tno adapter reported yet\n")
	}
	for i, a := range s.Adapters {
		fmt.Fprintf(p.tw, "%s\t%s: %s\n", first(i, "last sync"), a.Name, p.leaders(a.LastSync, "sync"))
	}
}

// lastReport gives the last report made, and what went wrong with its
// mail or with a report not made.
func (p statusPage) lastReport() {
	s, tw := p.s, p.tw
	if look := lookLine(s, p.when); look != "" {
		fmt.Fprintf(tw, "last report\tnone of a whole day yet; %s\n", look)
	} else {
		fmt.Fprintf(tw, "last report\t%s%s\n", p.leaders(s.LastReport, "report"), reportLine(s))
	}
	day := cmp.Or(s.ReportDay, "DAY")
	switch {
	case s.ReportMailFailed && report.MailState(s.ReportMail) == report.MailPending:
		fmt.Fprintf(tw, "\t  %s; %s (now: syncd report -date %s -mail)\n", cmp.Or(s.ReportMailWhy, "why: the log"),
			heldMailRetry(s), day)
	case s.ReportMailFailed && s.ReportMailWhy != "":
		fmt.Fprintf(tw, "\t  its mail FAILED: nobody got it: %s (again: syncd report -date %s -mail)\n", s.ReportMailWhy, day)
	case s.ReportMailFailed:
		fmt.Fprintf(tw, "\t  its mail FAILED: nobody got it (why: the log; again: syncd report -date %s -mail)\n", day)
	}
	if s.ReportNotMade != "" {
		fmt.Fprintf(tw, "\t  the report of %s is NOT MADE: the daemon's runs have failed to make it since %s, so nobody has it "+
			"(why: the log's \"reports\" lines; syncd report -date %[1]s makes it by hand and says why); "+
			"the daemon tries again at waits growing to %[3]s\n", s.ReportNotMade, p.when(s.ReportNotMadeSince), syncd.HowLong(report.RetryAtMost))
	}
	if unattachedShown(s) {
		fmt.Fprintln(tw, "\t  the mail says where the workbook is kept; to have it attached, raise the mail server's message size limit "+
			"or send through one that takes it")
	}
	if refusedShown(s) && s.ReportRefusedWho != "" && s.ReportWaiting == s.ReportRefused {
		// The addresses are right: nothing to correct (a full mailbox, greylisting).
		fmt.Fprintf(tw, "\t  the others got it; those refused only for now are mailed again, alone, until their server takes it"+
			" (syncd report -date %s -mail would mail everyone again)\n", day)
	} else if refusedShown(s) {
		fmt.Fprintf(tw, "\t  the others got it; correct or remove the refused address(es) in report.mail.to"+
			" (syncd report -date %s -mail would mail everyone again)\n", day)
	}
}

// adapters gives each CRM adapter's state: running, paused, failing or
// rate-limited, and its operations set aside.
func (p statusPage) adapters() {
	for i, a := range p.s.Adapters {
		fmt.Fprintf(p.tw, "%s\t%s: %s\n", first(i, "adapters"), a.Name, p.adapterState(a))
	}
}

// adapterState is one adapter's line of the adapters part.
func (p statusPage) adapterState(a AdapterStatus) string {
	s := p.s
	state := "running"
	if s.Offline {
		state = "not paused"
	} else if !s.MappingHeldSince.IsZero() {
		state = "not syncing while the mapping is held (below)"
	}
	switch {
	case a.Paused && !a.PausedUntil.IsZero():
		state = fmt.Sprintf("PAUSED until %s (in %s): %s\n\t  %s",
			p.clk.show(a.PausedUntil), age(a.PausedUntil.Sub(s.At)), a.PauseReason, syncer.ResumeHint(a.PauseKind))
	case a.Paused && !a.PauseEnded.IsZero():
		state = fmt.Sprintf("PAUSED until %s, over (%s ago): the daemon's next sync run (sync.schedule) ends it, "+
			"or pauses again if this still holds: %s\n\t  %s",
			p.clk.show(a.PauseEnded), age(s.At.Sub(a.PauseEnded)), a.PauseReason, syncer.ResumeHint(a.PauseKind))
	case a.liftedNotTaken():
		state = "PAUSED until the daemon's next sync run: the pause was lifted (syncd sync -resume), and the daemon takes " +
			"that at its next sync run (sync.schedule), running its account check again then"
	case a.Paused:
		state = "PAUSED"
	case a.crmDown(s.At) && syncer.RateLimited(a.FailingWhy):
		state = fmt.Sprintf("CRM RATE-LIMITED since %s: every call refused (%s); the CRM answers, it is not down: its rate limit"+
			" for this token is spent; the %s wait and %s\n\t  %s", p.when(a.FailingSince), a.FailingWhy, pendingOf(s, a.Name),
			crmGoes(s), rateLimitHint)
	case a.crmDown(s.At):
		state = fmt.Sprintf("CRM FAILING since %s: no answer, 429 or 5xx to every call; the %s wait and %s"+
			" (why: the log, \"crm call failed as a whole\")\n\t  %s", p.when(a.FailingSince), pendingOf(s, a.Name), crmGoes(s), oneBatchHint(s))
	case !a.FailingSince.IsZero() && s.NoneServes:
		state += fmt.Sprintf("; %s since %s, tried again by syncd sync or %s (%s)",
			failingWhat(a), p.when(a.FailingSince), serving{s.Shared}.started(), serving{s.Shared}.noneServes())
	case !a.FailingSince.IsZero():
		state += fmt.Sprintf("; %s since %s, retried by itself", failingWhat(a), p.when(a.FailingSince))
	}
	if len(a.StuckOps) > 0 && !a.Paused { // set aside before an outage, say
		sep := "; "
		if strings.Contains(state, "\n") {
			sep = "\n\t  "
		}
		state += sep + stuckLine(a, p.when)
	}
	return state
}

// mapping says that the mapping is held or stuck, then each adapter's
// last crm check.
func (p statusPage) mapping() {
	s := p.s
	if !s.MappingHeldSince.IsZero() {
		fmt.Fprintf(p.tw, "mapping\tHELD since %s: the mapping files did not load as the daemon started, so it stores and answers "+
			"every delivery but maps none and sends nothing to the CRM%s; %s\n", p.when(s.MappingHeldSince), heldCount(s.HeldLeads),
			cmp.Or(s.HeldWhy, "fix them (syncd validate lists every problem), then systemctl reload syncd: the leads waiting are mapped then"))
	}
	if !s.MappingStuckSince.IsZero() {
		fmt.Fprintf(p.tw, "mapping\tSTUCK since %s: every pass fails, so leads received since wait unmapped and none goes to the CRM"+
			" (why: the log, \"map events\"); they are mapped by themselves once a pass works\n", p.when(s.MappingStuckSince))
	}
	n := 0
	for _, a := range s.Adapters {
		if a.Checked {
			fmt.Fprintf(p.tw, "%s\t%s: %s\n", first(n, "crm check"), a.Name, checkLine(a, p.when, s))
			n++
		}
	}
}

// events counts the deliveries since the daemon's start, and those no
// retry will bring.
func (p statusPage) events() {
	s, tw, e := p.s, p.tw, p.s.Events
	if s.Offline {
		do := ""
		if s.OfflineDo != "" {
			do = "; " + s.OfflineDo
		}
		fmt.Fprintf(tw, "daemon\t%s: figures from the database %s%s\n", s.OfflineWhy, s.Database, do)
		return
	}
	since := "since start"
	if s.Instance != "" { // one of several: the others' deliveries are theirs
		since = "by this instance since its start"
	}
	fmt.Fprintf(tw, "events\t%d received %s: %d accepted, %d duplicate, %s, %d rejected\n",
		e.Received, since, e.Accepted, e.Duplicate, quarantinedCount(e), e.Rejected)
	if e.Unrecognised > 0 {
		fmt.Fprintf(tw, "\t  of those accepted, %d UNRECOGNISED: stored, but never mapped nor sent to the CRM: not of their "+
			"source's kind (%s); the log's \"delivery unrecognised\" "+
			"lines name each event (syncd events show ID) and the daily report lists them\n", e.Unrecognised, misrouted(e.UnrecognisedAt))
	}
	if lost := webhook.Lasting(e.RejectedBy); len(lost) > 0 {
		fmt.Fprintf(tw, "\t  of those rejected, refused at every retry until corrected (the sender then gives up, its lead lost): %s; "+
			"the log's \"delivery rejected\" lines name the source and the fix\n", strings.Join(lost, ", "))
	}
	if c := s.Cluster; c != nil {
		fmt.Fprintf(tw, "\tthe whole cluster stored %s since then, and quarantined %s (every instance, from the database)\n",
			syncd.Counted(int(c.Events), "new event", "new events"), syncd.Counted(int(c.Quarantined), "body", "bodies"))
	}
}

// waiting lists what waits for a person: quarantined bodies, unmappable
// leads, intake's troubles and a restored backup.
func (p statusPage) waiting() {
	quarantineLines(p.tw, p.clk, p.s)
	unmappableLines(p.tw, p.clk, p.s)
	intakeLines(p.tw, p.clk, p.s)
	restoreLines(p.tw, p.clk, p.s)
}

// config says that a reload failed, that the files changed since the
// daemon loaded them, or that a change needs a restart.
func (p statusPage) config() {
	s := p.s
	if s.ReloadFailed && s.MappingHeldSince.IsZero() { // held, there are no previous mappings: the HELD line says it
		on := ""
		if s.Instance != "" {
			on = " on the instance at " + s.Instance
		}
		why := cmp.Or(s.ReloadWhy, "see the journal, \"reload rejected\"")
		fmt.Fprintf(p.tw, "config\tLAST RELOAD FAILED%s: running on the previous configuration and mappings; %s\n", on, why)
	}
	switch {
	case s.Stale != "":
		fmt.Fprintf(p.tw, "config\t%s\n", s.Stale)
	case s.StaleUnread != "":
		fmt.Fprintf(p.tw, "config\tnot compared with the files the daemon loaded: %s\n", s.StaleUnread)
	}
	if len(s.RestartNeeded) > 0 {
		fmt.Fprintf(p.tw, "config\t%s\n", restartLine(s.RestartNeeded))
	}
}
