package main

// The dry run (crm.kind dryrun) answers every operation done, with fake
// ids, so its leads are never pending for the CRM configured after it: an
// agency that tried syncd on the example configuration and then set
// crm.kind to its CRM had the trial's leads in no CRM, and neither the
// daemon's start nor syncd status said so. So it was of an agency that
// moved from one CRM to the other (HubSpot to Pipedrive, or back): the
// leads sent to the earlier one are done there and in the other one
// only if a replay maps them for it. This file names them, with the
// replay that sends them, in status (dryRunLines), the start log
// (logDryRunLeads), syncd validate (dryRunWarnings) and syncd crm check
// (printLeadsLeftEarlier); and those whose
// bodies the retention purged since, which no replay can send, apart.

import (
	"context"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/crm/dryrun"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/metrics"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// dryRunLeft is what the database holds of the leads that went only to
// target, the dry run or a CRM crm.kind no longer names: held counts
// those whose bodies are held (a replay sends them), the first received
// at since; purged those whose bodies the retention purged (no replay
// can), the last one's on purgedOn.
type dryRunLeft struct {
	target   string
	held     int
	since    time.Time
	purged   int
	purgedOn time.Time
}

// none says whether l names no lead.
func (l dryRunLeft) none() bool { return l.held == 0 && l.purged == 0 }

// leadsReader is what leadsOnlyDryRun reads of a store.
type leadsReader interface {
	LeadsOnlyFor(ctx context.Context, target, other string) (syncd.OnlyFor, error)
	Event(ctx context.Context, id int64) (syncd.Event, error)
}

// dryRunLeads puts into s the leads that went only to the dry run or to
// the other CRM, while cfg names a CRM; their count is the database's, so
// every status says it.
func dryRunLeads(ctx context.Context, db store, cfg *config.Config, s *Snapshot) error {
	ls, err := leadsOnlyEarlier(ctx, db, cfg)
	if err != nil {
		return fmt.Errorf("dry run leads: %w", err)
	}
	s.LeftIn = ls
	return nil
}

// earlierCRMs are the targets whose leads are named when they went to no
// other: every one but cfg's, none while cfg's is the dry run (a pause:
// what the CRM holds is not missing from a dry run).
func earlierCRMs(cfg *config.Config) []string {
	if targetName(cfg) == dryrun.Name {
		return nil
	}
	var ts []string
	for _, t := range []string{dryrun.Name, hubspot.Name, pipedrive.Name} {
		if t != targetName(cfg) {
			ts = append(ts, t)
		}
	}
	return ts
}

// leadsOnlyEarlier reads, for each of earlierCRMs, the leads that went
// only to it, those that name any.
func leadsOnlyEarlier(ctx context.Context, db leadsReader, cfg *config.Config) ([]dryRunLeft, error) {
	var ls []dryRunLeft
	for _, t := range earlierCRMs(cfg) {
		l, err := leadsOnlyIn(ctx, db, t, targetName(cfg))
		if err != nil {
			return nil, err
		}
		if !l.none() {
			ls = append(ls, l)
		}
	}
	return ls, nil
}

// leadsOnlyIn reads the leads that went only to from, none for target.
func leadsOnlyIn(ctx context.Context, db leadsReader, from, target string) (dryRunLeft, error) {
	f, err := db.LeadsOnlyFor(ctx, from, target)
	if err != nil {
		return dryRunLeft{}, err
	}
	l := dryRunLeft{target: from, held: f.Held, purged: f.Purged}
	if f.Held > 0 {
		ev, err := db.Event(ctx, f.First)
		if err != nil {
			return dryRunLeft{}, err
		}
		l.since = ev.ReceivedAt
	}
	if f.Purged > 0 {
		ev, err := db.Event(ctx, f.LastPurged)
		if err != nil {
			return dryRunLeft{}, err
		}
		l.purgedOn = ev.PurgedAt
	}
	return l, nil
}

// onlyTo names from as the leads went only to it: the dry run, or the
// CRM by its crm.kind.
func onlyTo(from string) string {
	if from == dryrun.Name {
		return "the dry run"
	}
	return from
}

// operationsOf names from's operations, which the retention drops.
func operationsOf(from string) string {
	if from == dryrun.Name {
		return "the dry run's operations"
	}
	return from + "'s done operations"
}

// dryRunHint says what to do of n leads that went only to from, the
// first received on since, now that crm.kind names target.
func dryRunHint(from, target string, since report.Day) string {
	return fmt.Sprintf("syncd replay -since %s sends them to %s (-dry-run first: it maps for %s every lead received since then, "+
		"and sends only what it does not have yet); or, to leave them out of it, nothing: this goes as the retention "+
		"drops %s (retention.outbox_days)", since, target, target, operationsOf(from))
}

// dryRunPurged says that n leads (more: beside those a replay sends) went
// only to from and can no longer be sent to target: the retention purged
// their bodies, the last one's on day.
func dryRunPurged(n int, more bool, from, target string, day report.Day) string {
	what := syncd.Counted(n, "lead went", "leads went")
	if more {
		what = syncd.Counted(n, "more lead went", "more leads went")
	}
	when := "the last on " + day.String()
	if n == 1 {
		when = "on " + day.String()
	}
	return fmt.Sprintf("%s only to %s and can no longer be sent to %s: the retention purged %s "+
		"(retention.event_days; %s), which syncd replay needs; this goes as the retention drops %s "+
		"(retention.outbox_days)", what, onlyTo(from), target, syncd.Noun(n, "its body", "their bodies"), when, operationsOf(from))
}

// dryRunLines are status's lines under the outbox line d of the dry run
// or of a CRM crm.kind no longer names: while the dry run is the
// configured CRM, that nothing goes to a CRM; after, the leads that went
// only to d's target.
func dryRunLines(s Snapshot, d metrics.OutboxDepth, clk clock) []string {
	if len(s.Adapters) == 0 || d.Target == s.Adapters[0].Name && d.Target != dryrun.Name {
		return nil
	}
	if s.Adapters[0].Name == dryrun.Name {
		if d.Target != dryrun.Name {
			return nil
		}
		return []string{"  crm.kind dryrun, a dry run: nothing goes to a CRM, and the leads it takes do not go to the CRM " +
			"crm.kind names later unless syncd replay maps them for it"}
	}
	var lines []string
	for _, l := range s.LeftIn {
		if l.target != d.Target {
			continue
		}
		to := s.Adapters[0].Name
		if l.held > 0 {
			lines = append(lines,
				fmt.Sprintf("  %s only to %s (received since %s): not in %s", syncd.Counted(l.held, "lead went", "leads went"),
					onlyTo(l.target), clk.show(l.since), to),
				"  "+dryRunHint(l.target, to, report.DayOf(l.since, clk.loc)))
		}
		if l.purged > 0 {
			lines = append(lines, "  "+dryRunPurged(l.purged, l.held > 0, l.target, to, report.DayOf(l.purgedOn, clk.loc)))
		}
	}
	return lines
}

// logDryRunLeads warns, as the daemon starts on a CRM, of the leads that
// went only to the dry run or to the other CRM: they are not in this CRM
// (counts and a day only).
func logDryRunLeads(ctx context.Context, cfg *config.Config, db store, log zerolog.Logger) {
	ls, err := leadsOnlyEarlier(ctx, db, cfg)
	if err != nil {
		log.Warn().Err(err).Msg("leads only in another crm")
		return
	}
	loc, to := clockOf(cfg).loc, targetName(cfg)
	for _, l := range ls {
		if l.held > 0 {
			day := report.DayOf(l.since, loc)
			log.Warn().Str("crm", to).Str("only_in", l.target).Int("leads", l.held).Str("since", day.String()).
				Str("fix", dryRunHint(l.target, to, day)).
				Msgf("%s only to %s (crm.kind %s), received since %s: not in %s",
					syncd.Counted(l.held, "lead went", "leads went"), onlyTo(l.target), l.target, day, to)
		}
		if l.purged > 0 {
			day := report.DayOf(l.purgedOn, loc)
			log.Warn().Str("crm", to).Str("only_in", l.target).Int("leads", l.purged).Str("purged", day.String()).
				Msg(dryRunPurged(l.purged, l.held > 0, l.target, to, day))
		}
	}
}

// dryRunWarnings are syncd validate's warnings of the leads that went
// only to the dry run or to the other CRM, while cfg names a CRM, as
// status says them. They are read only where checkDatabase read the
// outbox's depths (a database of this syncd's schema, read read-only) and
// these show operations done for another CRM than cfg's; offline, none.
func dryRunWarnings(ctx context.Context, cfg *config.Config, depths []syncd.OutboxDepth, offline bool) []string {
	did := false
	for _, d := range depths {
		did = did || d.Target != targetName(cfg) && d.Done > 0
	}
	if offline || !did || len(earlierCRMs(cfg)) == 0 {
		return nil
	}
	ls, err := readDryRunLeft(ctx, cfg)
	if err != nil {
		return []string{fmt.Sprintf("the leads that went only to the dry run or to another CRM were not read: %v", err)}
	}
	return dryRunSaid(cfg, ls)
}

// dryRunSaid are the lines, one each, that say ls, the leads that went
// only to the dry run or to another CRM than cfg's: validate's warnings
// and crm check's lines.
func dryRunSaid(cfg *config.Config, ls []dryRunLeft) []string {
	loc, to := clockOf(cfg).loc, targetName(cfg)
	var ws []string
	for _, l := range ls {
		if l.held > 0 {
			day := report.DayOf(l.since, loc)
			ws = append(ws, fmt.Sprintf("%s only to %s (received since %s): not in %s; %s",
				syncd.Counted(l.held, "lead went", "leads went"), onlyTo(l.target), day, to, dryRunHint(l.target, to, day)))
		}
		if l.purged > 0 {
			ws = append(ws, dryRunPurged(l.purged, l.held > 0, l.target, to, report.DayOf(l.purgedOn, loc)))
		}
	}
	return ws
}

// printLeadsLeftEarlier is crm check's word of the leads that went only
// to the dry run or to the other CRM, as validate, status and the start
// log say them: an operator setting up the CRM an agency moves to runs
// crm check (docs/crm-setup.md), which said nothing of them. Read from
// the database, read-only, when there is one; a failure to read it is
// said, the check going on (its exit status is the account's).
func (c *cli) printLeadsLeftEarlier(ctx context.Context, cfg *config.Config) {
	if len(earlierCRMs(cfg)) == 0 {
		return
	}
	b, err := c.fieldKeyStore(ctx, cfg, storeHooks{ReadOnly: true})
	if err != nil || b == nil { // none yet: no lead went anywhere
		return
	}
	defer b.Close()
	ls, err := leadsOnlyEarlier(ctx, b, cfg)
	if err != nil {
		c.errorf("warning: the leads that went only to the dry run or to another CRM were not read: %v", err)
		return
	}
	for _, w := range dryRunSaid(cfg, ls) {
		fmt.Fprintf(c.stdout, "%s: %s\n", targetName(cfg), w)
	}
}

// readDryRunLeft reads the leads that went only to the dry run or to the
// other CRM from the database cfg names, opened to read only: SQLite
// read-only, PostgreSQL (whose schema checkDatabase found this syncd's:
// nothing to migrate) for at most validateReach.
func readDryRunLeft(ctx context.Context, cfg *config.Config) ([]dryRunLeft, error) {
	if cfg.Store.Kind != config.StorePostgres {
		db, err := sqlite.OpenToRead(ctx, cfg.DBPath())
		if err != nil {
			return nil, err
		}
		defer db.Close()
		return leadsOnlyEarlier(ctx, db, cfg)
	}
	ctx, cancel := context.WithTimeout(ctx, validateReach)
	defer cancel()
	db, err := postgres.Open(ctx, cfg.Store.DSN)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return leadsOnlyEarlier(ctx, db, cfg)
}
