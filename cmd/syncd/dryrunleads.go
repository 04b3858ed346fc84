package main

// The dry run (crm.kind dryrun) answers every operation done, with fake
// ids, so its leads are never pending for the CRM configured after it: an
// agency that tried syncd on the example configuration and then set
// crm.kind to its CRM had the trial's leads in no CRM, and neither the
// daemon's start nor syncd status said so. This file names them, with the
// replay that sends them, in status (dryRunLines), the start log
// (logDryRunLeads) and syncd validate (dryRunWarnings); and those whose
// bodies the retention purged since, which no replay can send, apart.

import (
	"context"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/crm/dryrun"
	"github.com/syncd-dev/syncd/internal/metrics"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// dryRunLeft is what the database holds of the leads that went only to
// the dry run: held counts those whose bodies are held (a replay sends
// them), the first received at since; purged those whose bodies the
// retention purged (no replay can), the last one's on purgedOn.
type dryRunLeft struct {
	held     int
	since    time.Time
	purged   int
	purgedOn time.Time
}

// leadsReader is what leadsOnlyDryRun reads of a store.
type leadsReader interface {
	LeadsOnlyFor(ctx context.Context, target, other string) (syncd.OnlyFor, error)
	Event(ctx context.Context, id int64) (syncd.Event, error)
}

// dryRunLeads puts into s the leads that went only to the dry run, while
// cfg names a CRM; their count is the database's, so every status says it.
func dryRunLeads(ctx context.Context, db store, cfg *config.Config, s *Snapshot) error {
	l, err := leadsOnlyDryRun(ctx, db, cfg)
	if err != nil {
		return fmt.Errorf("dry run leads: %w", err)
	}
	s.DryRunLeads, s.DryRunSince, s.DryRunPurged, s.DryRunPurgedOn = l.held, l.since, l.purged, l.purgedOn
	return nil
}

// leadsOnlyDryRun reads the leads that went only to the dry run: none
// while the dry run is cfg's CRM.
func leadsOnlyDryRun(ctx context.Context, db leadsReader, cfg *config.Config) (dryRunLeft, error) {
	if targetName(cfg) == dryrun.Name {
		return dryRunLeft{}, nil
	}
	f, err := db.LeadsOnlyFor(ctx, dryrun.Name, targetName(cfg))
	if err != nil {
		return dryRunLeft{}, err
	}
	l := dryRunLeft{held: f.Held, purged: f.Purged}
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

// dryRunHint says what to do of n leads that went only to the dry run,
// the first received on since, now that crm.kind names target.
func dryRunHint(target string, since report.Day) string {
	return fmt.Sprintf("syncd replay -since %s sends them to %s (-dry-run first: it maps for %s every lead received since then, "+
		"and sends only what it does not have yet); or, to leave them out of it, nothing: this goes as the retention "+
		"drops the dry run's operations (retention.outbox_days)", since, target, target)
}

// dryRunPurged says that n leads (more: beside those a replay sends) went
// only to the dry run and can no longer be sent to target: the retention
// purged their bodies, the last one's on day.
func dryRunPurged(n int, more bool, target string, day report.Day) string {
	what := syncd.Counted(n, "lead went", "leads went")
	if more {
		what = syncd.Counted(n, "more lead went", "more leads went")
	}
	when := "the last on " + day.String()
	if n == 1 {
		when = "on " + day.String()
	}
	return fmt.Sprintf("%s only to the dry run and can no longer be sent to %s: the retention purged %s "+
		"(retention.event_days; %s), which syncd replay needs; this goes as the retention drops the dry run's "+
		"operations (retention.outbox_days)", what, target, syncd.Noun(n, "its body", "their bodies"), when)
}

// dryRunLines are status's lines under the dry run's outbox line d: while
// it is the configured CRM, that nothing goes to a CRM; after, the leads
// that went only to it.
func dryRunLines(s Snapshot, d metrics.OutboxDepth, clk clock) []string {
	if d.Target != dryrun.Name || len(s.Adapters) == 0 {
		return nil
	}
	if s.Adapters[0].Name == dryrun.Name {
		return []string{"  crm.kind dryrun, a dry run: nothing goes to a CRM, and the leads it takes do not go to the CRM " +
			"crm.kind names later unless syncd replay maps them for it"}
	}
	var lines []string
	if s.DryRunLeads > 0 {
		lines = append(lines,
			fmt.Sprintf("  %s only to the dry run (received since %s): not in %s", syncd.Counted(s.DryRunLeads, "lead went", "leads went"),
				clk.show(s.DryRunSince), s.Adapters[0].Name),
			"  "+dryRunHint(s.Adapters[0].Name, report.DayOf(s.DryRunSince, clk.loc)))
	}
	if s.DryRunPurged > 0 {
		lines = append(lines, "  "+dryRunPurged(s.DryRunPurged, s.DryRunLeads > 0, s.Adapters[0].Name, report.DayOf(s.DryRunPurgedOn, clk.loc)))
	}
	return lines
}

// logDryRunLeads warns, as the daemon starts on a CRM, of the leads that
// went only to the dry run: they are not in that CRM (counts and a day
// only).
func logDryRunLeads(ctx context.Context, cfg *config.Config, db store, log zerolog.Logger) {
	l, err := leadsOnlyDryRun(ctx, db, cfg)
	if err != nil {
		log.Warn().Err(err).Msg("dry run leads")
		return
	}
	loc := clockOf(cfg).loc
	if l.held > 0 {
		day := report.DayOf(l.since, loc)
		log.Warn().Str("crm", targetName(cfg)).Int("leads", l.held).Str("since", day.String()).
			Str("fix", dryRunHint(targetName(cfg), day)).
			Msgf("%s only to the dry run (crm.kind dryrun), received since %s: not in %s",
				syncd.Counted(l.held, "lead went", "leads went"), day, targetName(cfg))
	}
	if l.purged > 0 {
		day := report.DayOf(l.purgedOn, loc)
		log.Warn().Str("crm", targetName(cfg)).Int("leads", l.purged).Str("purged", day.String()).
			Msg(dryRunPurged(l.purged, l.held > 0, targetName(cfg), day))
	}
}

// dryRunWarnings are syncd validate's warnings of the leads that went
// only to the dry run, while cfg names a CRM, as status says them. They
// are read only where checkDatabase read the outbox's depths (a database
// of this syncd's schema, read read-only) and these show operations the
// dry run did; offline, none.
func dryRunWarnings(ctx context.Context, cfg *config.Config, depths []syncd.OutboxDepth, offline bool) []string {
	did := false
	for _, d := range depths {
		did = did || d.Target == dryrun.Name && d.Done > 0
	}
	if offline || !did || targetName(cfg) == dryrun.Name {
		return nil
	}
	l, err := readDryRunLeft(ctx, cfg)
	if err != nil {
		return []string{fmt.Sprintf("the leads that went only to the dry run were not read: %v", err)}
	}
	loc := clockOf(cfg).loc
	var ws []string
	if l.held > 0 {
		day := report.DayOf(l.since, loc)
		ws = append(ws, fmt.Sprintf("%s only to the dry run (received since %s): not in %s; %s",
			syncd.Counted(l.held, "lead went", "leads went"), day, targetName(cfg), dryRunHint(targetName(cfg), day)))
	}
	if l.purged > 0 {
		ws = append(ws, dryRunPurged(l.purged, l.held > 0, targetName(cfg), report.DayOf(l.purgedOn, loc)))
	}
	return ws
}

// readDryRunLeft reads the leads that went only to the dry run from the
// database cfg names, opened to read only: SQLite read-only, PostgreSQL
// (whose schema checkDatabase found this syncd's: nothing to migrate) for
// at most validateReach.
func readDryRunLeft(ctx context.Context, cfg *config.Config) (dryRunLeft, error) {
	if cfg.Store.Kind != config.StorePostgres {
		db, err := sqlite.OpenToRead(ctx, cfg.DBPath())
		if err != nil {
			return dryRunLeft{}, err
		}
		defer db.Close()
		return leadsOnlyDryRun(ctx, db, cfg)
	}
	ctx, cancel := context.WithTimeout(ctx, validateReach)
	defer cancel()
	db, err := postgres.Open(ctx, cfg.Store.DSN)
	if err != nil {
		return dryRunLeft{}, err
	}
	defer db.Close()
	return leadsOnlyDryRun(ctx, db, cfg)
}
