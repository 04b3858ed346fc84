package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// unmappableShown is how many of the unmappable leads status names by
// event id; the others are counted.
const unmappableShown = 5

// leadsWaiting puts into s the leads that wait for a person: the
// quarantined bodies (quarantineWaiting) and the unmappable leads
// (unmappableWaiting).
func leadsWaiting(ctx context.Context, db store, clk clock, s *Snapshot) error {
	return errors.Join(quarantineWaiting(ctx, db, s), unmappableWaiting(ctx, db, clk, s))
}

// unmappableWaiting puts into s the leads a rule took but could not map
// (never sent to the CRM), their bodies held, received since the start of
// yesterday in clk's zone (the report's): the days the report of yesterday
// and today's list under Needs attention. Status said nothing of them,
// exit 0, so a monitoring script never learnt that a lead sat unmapped.
// Older ones are not looked for: the events table has no index on the
// mapping state, and reading a year of events at every status is not
// cheap; the received time's index bounds this one to two days.
func unmappableWaiting(ctx context.Context, db store, clk clock, s *Snapshot) error {
	from, _ := report.DayOf(s.At, clk.loc).AddDays(-1).Bounds(clk.loc)
	f := syncd.EventFilter{MapState: syncd.MapUnmappable, Since: from, Kept: true}
	n, err := db.CountEvents(ctx, f)
	if err != nil || n == 0 {
		return wrapUnmappable(err)
	}
	f.Newest, f.Limit = true, unmappableShown
	evs, err := db.Events(ctx, f)
	if err != nil {
		return wrapUnmappable(err)
	}
	s.Unmappable, s.UnmappableSince, s.UnmappableIDs = n, from, nil
	for _, ev := range evs {
		s.UnmappableIDs = append(s.UnmappableIDs, ev.ID)
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
	ids := make([]string, len(s.UnmappableIDs))
	for i, id := range s.UnmappableIDs {
		ids[i] = fmt.Sprint(id)
	}
	which := "events " + strings.Join(ids, ", ")
	switch {
	case n == 1:
		which = "event " + strings.Join(ids, "")
	case n > len(ids):
		which += fmt.Sprintf(", and %d older: syncd events list", n-len(ids))
	}
	leads := fmt.Sprintf("%d leads UNMAPPABLE", n)
	if n == 1 {
		leads = "1 lead UNMAPPABLE"
	}
	day := report.DayOf(s.UnmappableSince, clk.loc).String()
	fmt.Fprintf(w, "unmapped\t%s, received since %s (%s): taken by a rule but not mapped, so not sent to the CRM;"+
		" syncd events show ID says why\n"+
		"\t  fix the mapping (syncd map -source S FILE shows what a payload becomes), then syncd replay -since %s maps them again;"+
		" or enter the lead in the CRM by hand: each is said here until the end of the day after it was received"+
		" (the report of its day lists it under Needs attention)\n",
		leads, clk.show(s.UnmappableSince), which, day)
}
