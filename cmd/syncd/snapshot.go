package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/metrics"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// Snapshot is the at-a-glance state `syncd status` prints: a plain value,
// filled from the running daemon's /metrics text (parseSnapshot), or by
// hand from the database.
type Snapshot struct {
	// At is when the snapshot was taken; ages are printed relative to it.
	At       time.Time
	Version  string
	Revision string
	// Agency is the agency the configuration names (agency:), which
	// status's heading names; "" for none. Not the daemon's: its file's.
	Agency string
	// Database is the absolute path of the database the daemon serves, and
	// Started when it started; both empty for a daemon that does not say.
	Database string
	Started  time.Time
	// PID is the daemon's process id, 0 for a daemon that does not say;
	// Loads how many times it has loaded its configuration (its start and
	// each reload), -1 for one that does not count them (syncd reload).
	PID   int
	Loads float64
	// WaitingSince is when the daemon began waiting at start for its
	// database, which does not answer (WaitingWhy, in plain words): it
	// serves nothing else yet. Zero for a daemon that started.
	WaitingSince time.Time
	WaitingWhy   string
	// DownSince is when the shared database stopped answering the daemon
	// (zero: it answers, or the daemon does not say).
	DownSince time.Time
	// OutboxKnown is false when the outbox could not be queried; Outbox is
	// then empty.
	OutboxKnown bool
	// Outbox is the depth per CRM target, sorted by target.
	Outbox []metrics.OutboxDepth
	// Sent is what the daemon's syncer finished lately, per CRM target
	// (none when it sent nothing in the last metrics.SentWindow).
	Sent map[string]sentRecently
	// Adapters lists each CRM adapter, sorted by name.
	Adapters []AdapterStatus
	// LastReport is when the last daily report was written; zero if never.
	LastReport time.Time
	// ReportMailFailed is true when nobody got the last report's mail: it
	// failed for good, or waits for a mail server that did not take it
	// for a round of attempts (ReportMail "pending").
	ReportMailFailed bool
	// ReportDay is the day the last report was of, and ReportMail its
	// mail's state (a report.MailState); "" when not known.
	ReportDay, ReportMail string
	// ReportRefused is for how many recipients the server refused the last
	// report's mail while it took it for the others, and ReportRefusedWho
	// who they are with its answers, when read from the database ("" from
	// /metrics alone).
	ReportRefused    int
	ReportRefusedWho string
	// ReportWaiting is how many of those the server refused only for now
	// and are mailed again, alone (report.WaitingForNow), when read from
	// the database.
	ReportWaiting int
	// ReportMailWhy is why the last report's mail failed, as recorded,
	// when read from the database; "" from /metrics alone.
	ReportMailWhy string
	// ReportUnattached is true when the last report's mail went without
	// the workbook, too large for the mail server, and ReportUnattachedWhy
	// says how large and where it is kept, when read from the database
	// ("" from /metrics alone).
	ReportUnattached    bool
	ReportUnattachedWhy string
	// ReportNotMade is the oldest due day whose report the daemon's runs
	// have failed to make since ReportNotMadeSince; "" while they make them.
	ReportNotMade      string
	ReportNotMadeSince time.Time
	// ReportLook is, while no report is the last report (LastReport
	// zero), the latest made by hand of a day not over yet (Partial),
	// from the database: a look, not the day's report; Day "" when none.
	ReportLook syncd.ReportRecord
	// Events counts deliveries since the daemon started.
	Events EventTotals
	// Instance is, on a store several instances share, the address of the
	// one whose /metrics the snapshot was made from: Started and Events
	// are that instance's alone. "" on SQLite, or from the database.
	Instance string
	// Cluster is what every instance sharing the store stored since
	// Instance started, read from the database; nil when not read.
	Cluster *ClusterTotals
	// Offline is set on a snapshot made from the database because this
	// configuration's daemon does not answer: there are no since-start
	// counts. OfflineWhy says why, for a person.
	Offline    bool
	OfflineWhy string
	// OfflineDo says, offline on SQLite, whether a daemon serves the
	// database all the same, and what to do.
	OfflineDo string
	// NoneServes is set, offline, when no daemon serves the database (on
	// PostgreSQL, no instance runs): nothing sends the pending operations
	// until a person runs syncd sync or starts one.
	NoneServes bool
	// Shared is set when the database is shared by instances (PostgreSQL):
	// several may serve it, one leading sync and one the report.
	Shared bool
	// Leaders names, read from a shared database, the instance leading
	// each part ("sync", "report") for a person; a part none leads is
	// absent. Nil when not read.
	Leaders map[string]string
	// ReloadFailed is true when the last SIGHUP reload was rejected and the
	// daemon still runs on the configuration before it.
	ReloadFailed bool
	// ReloadWhy is, after a rejected reload, whether the files on disk
	// load now, as status found them (reloadcause.go): their first
	// problem, or the reload that takes them; "" when not checked.
	ReloadWhy string
	// DatabaseLost is true once the daemon's database file was removed or
	// replaced under it: every delivery is answered 503 until a restart.
	DatabaseLost bool
	// DatabaseDamaged is true once SQLite found the daemon's database file
	// damaged under it: what needs the damaged part fails until the file
	// is set aside and a backup restored.
	DatabaseDamaged bool
	// InMemory is the type of the in-memory file system (tmpfs) the
	// daemon's SQLite database is on, read by status on this host: what it
	// holds is lost at the next reboot. "" on a disk.
	InMemory string
	// UpgradeCopies are the copies upgrades took beside the SQLite
	// database (the way back to the older syncd), the newest first.
	UpgradeCopies []sqlite.UpgradeCopy
	// LostSaved is, the daemon's SQLite file lost, the copy the daemon
	// saved of what it held (sqlite.LostCopy): "" where there is none.
	LostSaved string
	// LostThere is, the daemon's SQLite file lost and none saved, that a
	// file is at its path: written over in place (a backup copied over it).
	LostThere bool
	// LostWAL is, the daemon's SQLite file lost, that the file is its own
	// still: its -wal was removed, what it held copied into the file.
	LostWAL bool
	// Refusing is true when the daemon's /readyz answers 503, as every
	// delivery is then: its store fails (a full disk), the file not lost.
	Refusing bool
	// Unreadable says why status could not read the database beside the
	// daemon that answered (PostgreSQL down or cut off); "" when it could.
	Unreadable string
	// NotReadHere says why status could not open the daemon's SQLite
	// database as the user it runs as (permission denied): what it reads
	// there alone (a restored backup, the times no syncd received, which
	// leads wait for a person) is not shown; "" when it could, or need not.
	NotReadHere string
	// DaemonWaiting is the daemon's count of the leads waiting for a
	// person, which status shows when it cannot read the database.
	DaemonWaiting daemonWaiting
	// MappingStuckSince is since when every pass of the mapping worker
	// has failed, once it is stuck (leads wait unmapped); zero while it
	// works, and from the database.
	MappingStuckSince time.Time
	// MappingHeldSince is since when the daemon has held its mapping, its
	// mapping files not loading as it started (mappinghold.go); zero while
	// it maps. HeldWhy is whether the files on disk load now, and what to
	// do (heldWhy).
	MappingHeldSince time.Time
	HeldWhy          string
	// HeldLeads counts the events waiting to be mapped while the mapping
	// is held, from the database (-1: not read; 0 while not held).
	HeldLeads int
	// QuarantineWaiting counts the quarantined bodies waiting for a person
	// (neither repaired nor dismissed, their bodies held), from the
	// database; QuarantineShown are the newest of them, each with whether
	// its body reads as it is (quarantinewait.go).
	QuarantineWaiting int
	QuarantineShown   []waitingBody
	// Unmappable counts the leads a rule took but could not map that
	// wait for a person (not dealt with, not mapped by a replay, their
	// bodies held), from the database; UnmappableIDs are the newest of
	// them, UnmappableSince when the oldest was received
	// (unmappablewait.go).
	Unmappable      int
	UnmappableIDs   []int64
	UnmappableSince time.Time
	// LeftIn are the leads that went only to the dry run (crm.kind
	// dryrun) or to the other CRM, before the CRM configured now, that no
	// replay mapped for it, one entry per such CRM, from the database
	// (dryrunleads.go); none while the dry run is the configured CRM.
	LeftIn []dryRunLeft
	// Restore is what a database restored from a backup still asks of
	// the operator (restorestatus.go); nil for none.
	Restore *RestoreStatus
	// NotReceiving are the times no syncd received since the start of
	// yesterday, in the report's time zone (intakeStops), read from the
	// database; a time not over is given only by a status no daemon
	// answered.
	NotReceiving []report.Span
	// loaded is what the daemon loaded, its configuration and mapping
	// files with their hashes, from its /metrics; nil from the database or
	// a daemon that does not say (configstale.go).
	loaded *loadedFiles
	// saidFirst is the first problem of the configuration file that status
	// said first, the file not loading (statusBroken): the lines of the
	// daemon's files name it "the first problem above", said once.
	saidFirst *config.Problem
	// Stale says which of those files changed on disk since, and whether
	// they would load ("" when they agree); StaleUnread is why they could
	// not be compared.
	Stale, StaleUnread string
	// staleSince is since when the daemon has found those files changed,
	// from its /metrics; zero when it has not (yet).
	staleSince time.Time
	// secretsChanged are the secret files the daemon found changed since
	// it read them, from its /metrics.
	secretsChanged []metrics.SecretChanged
	// RestartNeeded are the settings changed since the daemon started,
	// reloaded, that only a restart takes, sorted.
	RestartNeeded []string
	// ErasureLogUnread is why the erasure log does not read (its first
	// line damaged, a mode or owner it cannot be read with); "" when it
	// reads or there is none.
	ErasureLogUnread string
}

// AdapterStatus is one CRM adapter in a Snapshot.
type AdapterStatus struct {
	Name   string
	Paused bool
	// PausedUntil, PauseReason and PauseKind say until when and why it
	// is paused, when known: the database holds them, the metrics do not.
	PausedUntil time.Time
	PauseReason string
	PauseKind   syncd.PauseKind
	// PauseEnded is when a pause the daemon still reports ended, per the
	// database (PauseReason says why it was made): the daemon's next sync
	// run ends it, or pauses again if what paused it still holds.
	PauseEnded time.Time
	// PauseLifted is, the daemon reporting a pause, that the database holds
	// none: another process lifted it (syncd sync -resume), which the
	// daemon takes at its next sync run.
	PauseLifted bool
	// LastSync is when a sync run last finished without a failed
	// operation; zero if never since start.
	LastSync time.Time
	// FailingSince is since when every CRM call has failed as a whole
	// (the CRM down or refusing); zero while it answers.
	FailingSince time.Time
	// FailingWhy is how the last of those calls failed, as the syncer
	// stored it ("429 Too Many Requests, Retry-After 1m0s": the CRM's rate
	// limit, syncer.RateLimited); "" when not known.
	FailingWhy string
	// StuckCount is how many operations the CRM never takes while it
	// answers other calls (the metric); StuckOps, StuckSince and StuckWhy
	// name those still pending, since when and how their calls fail (the
	// database holds them, the metrics do not).
	StuckCount int
	StuckOps   []int64
	StuckSince time.Time
	StuckWhy   string
	// Checked says a CRM account check has run; CheckProblems is what it
	// found (-1: it could not run); CheckedAt is when it ran, when the
	// database says (the metrics do not).
	Checked       bool
	CheckProblems int
	CheckedAt     time.Time
	// CheckRunning counts the account checks a reload started that have
	// not finished, ReloadChecks those that have: syncd reload waits for
	// the one it started.
	CheckRunning, ReloadChecks int
}

// ClusterTotals counts what the instances sharing a store stored, from
// the database: events and quarantined bodies received since a time.
type ClusterTotals struct {
	Events, Quarantined int
}

// EventTotals counts webhook deliveries by what became of them.
type EventTotals struct {
	Received, Accepted, Duplicate, Quarantined, Rejected int
	// RejectedBy counts the rejected deliveries by reason, over every
	// source (bad_token, too_large: the reason label of the metric); nil
	// when none was rejected.
	RejectedBy map[string]int
	// Unrecognised counts the accepted deliveries whose body does not fit
	// their source's kind: stored, never mapped nor sent to the CRM.
	Unrecognised int
	// UnrecognisedAt names the sources whose route took those bodies,
	// sorted: the URLs another sender was given.
	UnrecognisedAt []string
	// Changed counts the duplicates whose body said something else than
	// the stored event's: each body kept in the quarantine for a person.
	Changed int
}

// DeadLetters is the number of outbox operations the sync gave up on
// (the CRM refused them, too many attempts, their contact dead), over all
// targets: not those the operator gave up by hand (GivenUp), which need
// no attention.
func (s Snapshot) DeadLetters() int {
	n := 0
	for _, d := range s.Outbox {
		n += d.Dead - d.GivenUp
	}
	return n
}

// GivenUp is the number of outbox operations given up by hand (syncd
// outbox give-up), over all targets.
func (s Snapshot) GivenUp() int {
	n := 0
	for _, d := range s.Outbox {
		n += d.GivenUp
	}
	return n
}

// OtherAccountGivenUp is how many of GivenUp are CRM erasures of an
// earlier account done by hand, over all targets: no retry sends them.
func (s Snapshot) OtherAccountGivenUp() int {
	n := 0
	for _, d := range s.Outbox {
		n += d.OtherAccountGivenUp
	}
	return n
}

// OtherAccount is the number of dead CRM erasures of an earlier account
// (syncd crm forget-links made them dead), over all targets: among
// DeadLetters, as a person must erase them by hand.
func (s Snapshot) OtherAccount() int {
	n := 0
	for _, d := range s.Outbox {
		n += d.OtherAccount
	}
	return n
}

// parseSnapshot reads a Snapshot from the Prometheus text format that
// syncd's /metrics serves, stamped with at: so `syncd status` can ask the
// running daemon over HTTP.
func parseSnapshot(r io.Reader, at time.Time) (Snapshot, error) {
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(r)
	if err != nil {
		return Snapshot{}, fmt.Errorf("parse metrics: %w", err)
	}
	if _, ok := fams[metrics.NameBuildInfo]; !ok {
		return Snapshot{}, fmt.Errorf("parse metrics: no %s: not a syncd /metrics", metrics.NameBuildInfo)
	}
	return snapshotFrom(fams, at), nil
}

func snapshotFrom(fams map[string]*dto.MetricFamily, at time.Time) Snapshot {
	s := Snapshot{At: at}
	daemonFrom(fams, &s)
	s.OutboxKnown = sum(fams[metrics.NameOutboxUp]) == 1
	if s.OutboxKnown {
		s.Outbox = outboxFrom(fams, at)
		s.Sent = sentFrom(fams)
	}
	s.Adapters = adaptersFrom(fams)
	reportFrom(fams, &s)
	s.Events = eventsFrom(fams)
	configFrom(fams, &s)
	s.MappingStuckSince = unixTime(sum(fams[metrics.NameMappingStuck]))
	s.MappingHeldSince = unixTime(sum(fams[metrics.NameMappingHeld]))
	s.DaemonWaiting = waitingFrom(fams)
	return s
}

// daemonFrom puts into s which daemon fams are of: its build, database,
// process, start and configuration loads, and whether its database
// answers.
func daemonFrom(fams map[string]*dto.MetricFamily, s *Snapshot) {
	for _, m := range fams[metrics.NameBuildInfo].GetMetric() {
		s.Version, s.Revision = label(m, "version"), label(m, "revision")
	}
	for _, m := range fams[metrics.NameDaemonInfo].GetMetric() {
		s.Database, s.Started = label(m, "database"), unixTime(value(m))
		s.PID, _ = strconv.Atoi(label(m, "pid"))
	}
	s.Loads = -1
	if f, ok := fams[metrics.NameConfigLoads]; ok {
		s.Loads = sum(f)
	}
	if t := sum(fams[metrics.NameDatabaseDownSince]); t > 0 {
		s.DownSince = unixTime(t)
	}
	for _, m := range fams[metrics.NameStartWaiting].GetMetric() {
		s.WaitingSince, s.WaitingWhy = unixTime(value(m)), label(m, "cause")
	}
	s.DatabaseLost = sum(fams[metrics.NameDatabaseLost]) == 1
	s.DatabaseDamaged = sum(fams[metrics.NameDatabaseDamaged]) == 1
}

// adaptersFrom is each CRM adapter's state in fams, by name.
func adaptersFrom(fams map[string]*dto.MetricFamily) []AdapterStatus {
	adapters := map[string]*AdapterStatus{}
	adapter := func(name string) *AdapterStatus {
		if adapters[name] == nil {
			adapters[name] = &AdapterStatus{Name: name}
		}
		return adapters[name]
	}
	for _, m := range fams[metrics.NamePaused].GetMetric() {
		adapter(label(m, "adapter")).Paused = value(m) == 1
	}
	for _, m := range fams[metrics.NameCheckProblems].GetMetric() {
		a := adapter(label(m, "adapter"))
		a.Checked, a.CheckProblems = true, int(value(m))
	}
	for _, m := range fams[metrics.NameCheckRunning].GetMetric() {
		adapter(label(m, "adapter")).CheckRunning = int(value(m))
	}
	for _, m := range fams[metrics.NameReloadChecks].GetMetric() {
		adapter(label(m, "adapter")).ReloadChecks = int(value(m))
	}
	for _, m := range fams[metrics.NameLastSync].GetMetric() {
		adapter(label(m, "adapter")).LastSync = unixTime(value(m))
	}
	for _, m := range fams[metrics.NameFailingSince].GetMetric() {
		adapter(label(m, "adapter")).FailingSince = unixTime(value(m))
	}
	for _, m := range fams[metrics.NameRateLimited].GetMetric() {
		if value(m) == 1 { // how, with Retry-After, is in the database
			adapter(label(m, "adapter")).FailingWhy = rateLimitedWhy
		}
	}
	for _, m := range fams[metrics.NameStuckOps].GetMetric() {
		adapter(label(m, "adapter")).StuckCount = int(value(m))
	}
	var out []AdapterStatus
	for _, a := range adapters {
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// reportFrom puts into s the last report and its mail, and a due report
// not made.
func reportFrom(fams map[string]*dto.MetricFamily, s *Snapshot) {
	s.LastReport = unixTime(sum(fams[metrics.NameLastReport]))
	s.ReportMailFailed = sum(fams[metrics.NameReportMail]) == 1
	for _, m := range fams[metrics.NameReportInfo].GetMetric() {
		s.ReportDay, s.ReportMail = label(m, "day"), label(m, "mail")
	}
	s.ReportRefused = int(sum(fams[metrics.NameReportRefused]))
	s.ReportUnattached = sum(fams[metrics.NameReportUnattached]) == 1
	for _, m := range fams[metrics.NameReportNotMade].GetMetric() {
		s.ReportNotMade, s.ReportNotMadeSince = label(m, "day"), unixTime(value(m))
	}
}

// eventsFrom is the deliveries fams count, the rejected by reason.
func eventsFrom(fams map[string]*dto.MetricFamily) EventTotals {
	e := EventTotals{
		Received:     int(sum(fams[metrics.NameReceived])),
		Accepted:     int(sum(fams[metrics.NameAccepted])),
		Duplicate:    int(sum(fams[metrics.NameDuplicate])),
		Quarantined:  int(sum(fams[metrics.NameQuarantined])),
		Rejected:     int(sum(fams[metrics.NameRejected])),
		Changed:      int(sum(fams[metrics.NameChanged])),
		Unrecognised: int(sum(fams[metrics.NameUnrecognised])),
	}
	for _, m := range fams[metrics.NameUnrecognised].GetMetric() {
		if value(m) > 0 && !slices.Contains(e.UnrecognisedAt, label(m, "source")) {
			e.UnrecognisedAt = append(e.UnrecognisedAt, label(m, "source"))
		}
	}
	slices.Sort(e.UnrecognisedAt)
	for _, m := range fams[metrics.NameRejected].GetMetric() {
		if n := int(value(m)); n > 0 {
			if e.RejectedBy == nil {
				e.RejectedBy = map[string]int{}
			}
			e.RejectedBy[label(m, "reason")] += n
		}
	}
	return e
}

// configFrom puts into s what fams say of the daemon's configuration: a
// rejected reload, settings waiting for a restart, and the files it
// loaded and found changed since.
func configFrom(fams map[string]*dto.MetricFamily, s *Snapshot) {
	if f, ok := fams[metrics.NameReloadSuccess]; ok {
		s.ReloadFailed = sum(f) == 0
	}
	for _, m := range fams[metrics.NameConfigRestartNeeded].GetMetric() {
		if value(m) == 1 {
			s.RestartNeeded = append(s.RestartNeeded, label(m, "setting"))
		}
	}
	sort.Strings(s.RestartNeeded)
	s.staleSince = unixTime(sum(fams[metrics.NameConfigStaleSince]))
	s.secretsChanged = secretsFrom(fams[metrics.NameConfigSecretChanged])
	if l, ok := loadedFrom(fams[metrics.NameConfigFileLoaded]); ok {
		s.loaded = &l
	}
}

// outboxFrom rebuilds the per-target depths; the oldest pending time is
// at minus the exported age.
func outboxFrom(fams map[string]*dto.MetricFamily, at time.Time) []metrics.OutboxDepth {
	targets := map[string]*metrics.OutboxDepth{}
	target := func(name string) *metrics.OutboxDepth {
		if targets[name] == nil {
			targets[name] = &metrics.OutboxDepth{Target: name}
		}
		return targets[name]
	}
	for _, m := range fams[metrics.NameOutboxOps].GetMetric() {
		d, n := target(label(m, "target")), int(value(m))
		switch label(m, "state") {
		case "pending":
			d.Pending = n
		case "done":
			d.Done = n
		case "dead":
			d.Dead += n
		case "given_up": // dead too, but by the operator's choice
			d.Dead += n
			d.GivenUp = n
		}
	}
	for _, m := range fams[metrics.NameOutboxOtherAccount].GetMetric() {
		target(label(m, "target")).OtherAccount = int(value(m))
	}
	for _, m := range fams[metrics.NameOutboxOldest].GetMetric() {
		if age := value(m); age > 0 {
			target(label(m, "target")).OldestPending = at.Add(-seconds(age))
		}
	}
	for _, m := range fams[metrics.NameOutboxLeased].GetMetric() {
		target(label(m, "target")).Leased = int(value(m))
	}
	for _, m := range fams[metrics.NameOutboxLeaseUntil].GetMetric() {
		target(label(m, "target")).LeaseUntil = unixTime(value(m))
	}
	out := make([]metrics.OutboxDepth, 0, len(targets))
	for _, d := range targets {
		out = append(out, *d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Target < out[j].Target })
	return out
}

// value reads a counter, gauge or untyped sample.
func value(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Untyped != nil:
		return m.Untyped.GetValue()
	}
	return 0
}

// sum adds a family's samples over all label values; 0 for a nil family.
func sum(f *dto.MetricFamily) float64 {
	var t float64
	for _, m := range f.GetMetric() {
		t += value(m)
	}
	return t
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

func seconds(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }

// unixTime turns a timestamp gauge back into a time; 0 (never set) is the
// zero time.
func unixTime(f float64) time.Time {
	if f <= 0 || math.IsNaN(f) {
		return time.Time{}
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC()
}

// rateLimitedWhy is how the last call failed of a CRM the metrics say
// refuses every call for its rate limit (syncd_crm_rate_limited), until
// the database tells it with the Retry-After.
const rateLimitedWhy = "429 Too Many Requests"
