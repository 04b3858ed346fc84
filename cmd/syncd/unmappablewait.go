package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// unmappableShown is how many of the unmappable leads status names by
// event id; the others are counted.
const unmappableShown = 5

// leadsWaiting puts into s the leads that wait for a person: the
// quarantined bodies (quarantineWaiting) and the unmappable leads
// (unmappableWaiting); cfg's intake.max_depth says which bodies read.
// It adds the dry run's leads that reached no CRM (dryRunLeads).
func leadsWaiting(ctx context.Context, db store, cfg *config.Config, s *Snapshot) error {
	return errors.Join(quarantineWaiting(ctx, db, cfg.Intake.MaxDepth, s), unmappableWaiting(ctx, db, s), dryRunLeads(ctx, db, cfg, s))
}

// unmappableWaiting puts into s the leads a rule took but could not map
// (never sent to the CRM) that wait for a person, whatever their age: not
// recorded as dealt with (syncd events done), not mapped by a replay,
// their bodies held. Status looked only at those received since the start
// of yesterday (no index on the mapping state), so one unmappable on a
// Friday had vanished from it by Monday, and one dealt with by hand kept
// it at exit 5 until the day after; the partial index of migration 0011
// holds only those that wait.
func unmappableWaiting(ctx context.Context, db store, s *Snapshot) error {
	f := syncd.EventFilter{Unattended: true}
	n, err := db.CountEvents(ctx, f)
	if err != nil || n == 0 {
		return wrapUnmappable(err)
	}
	f.Newest, f.Limit = true, unmappableShown
	evs, err := db.Events(ctx, f)
	if err != nil {
		return wrapUnmappable(err)
	}
	s.Unmappable, s.UnmappableIDs = n, nil
	for _, ev := range evs {
		s.UnmappableIDs, s.UnmappableSince = append(s.UnmappableIDs, ev.ID), ev.ReceivedAt
	}
	if n > len(evs) { // the oldest, for the replay's -since: one more seek in the index
		f.Newest, f.Limit = false, 1
		if evs, err = db.Events(ctx, f); err != nil || len(evs) == 0 {
			return wrapUnmappable(err)
		}
		s.UnmappableSince = evs[0].ReceivedAt
	}
	return nil
}

func wrapUnmappable(err error) error {
	if err != nil {
		return fmt.Errorf("unmappable leads: %w", err)
	}
	return nil
}

// unmappableLines prints the unmappable leads into the status table w,
// with the ways out: none when none is.
func unmappableLines(w io.Writer, clk clock, s Snapshot) {
	n := s.Unmappable
	if n == 0 {
		return
	}
	which := waitingWhich("event", "events", s.UnmappableIDs, n, "syncd events done -all -dry-run names them")
	since := fmt.Sprintf(" -since %s", report.DayOf(s.UnmappableSince, clk.loc))
	if len(s.UnmappableIDs) == 0 { // the daemon's count: the database not read here
		which, since = "the daemon's count; syncd events done -all -dry-run, run as the daemon's user or root, names them", ""
	}
	leads := fmt.Sprintf("%d leads UNMAPPABLE", n)
	if n == 1 {
		leads = "1 lead UNMAPPABLE"
	}
	fmt.Fprintf(w, "unmapped\t%s, waiting for a person (%s): taken by a rule but not mapped, so not sent to the CRM;"+
		" syncd events show ID says why\n"+
		"\t  fix the mapping (syncd map -source S FILE shows what a payload becomes) and reload the daemon (systemctl reload syncd), then syncd replay%s maps them again;"+
		" or enter the lead in the CRM by hand (or find it is no lead), then syncd events done ID\n",
		leads, which, since)
}
