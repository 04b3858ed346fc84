// Package schedule reads the cron schedules of syncd's configuration with
// robfig/cron/v3, in a time zone, and runs what a change to summer time
// would skip.
package schedule

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Parse parses spec, a standard five-field cron spec or a descriptor
// ("@every 1m", "@daily"), read in loc unless it starts with CRON_TZ= or
// TZ=. A time the spec names that the clocks skip when they go forward
// (02:30 in Copenhagen on the last Sunday of March) is run as they jump,
// as Vixie cron does: robfig/cron alone skips the whole day. A time that
// occurs twice when they go back (02:30 in Copenhagen on the last Sunday
// of October) runs once, at the first, as Vixie cron does: robfig/cron
// alone runs it at both. A spec that runs every hour ("*/15 * * * *")
// runs in both passes of the repeated hour, as elapsed time goes on.
func Parse(spec string, loc *time.Location) (cron.Schedule, error) {
	sched, err := parseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("schedule %q: %w", spec, err)
	}
	ss, ok := sched.(*cron.SpecSchedule)
	if !ok {
		return sched, nil // @every: a fixed interval, whatever the clocks say
	}
	if !strings.HasPrefix(spec, "CRON_TZ=") && !strings.HasPrefix(spec, "TZ=") {
		ss.Location = loc
	}
	wall := *ss
	wall.Location = time.UTC // a clock that never changes: the spec's clock times as they are
	return skipped{spec: ss, wall: &wall}, nil
}

// parseStandard is cron.ParseStandard, but for a spec of a time zone
// with nothing after it ("CRON_TZ=Europe/Copenhagen"), on which that
// panics (robfig/cron#554): an error here.
func parseStandard(spec string) (cron.Schedule, error) {
	if (strings.HasPrefix(spec, "CRON_TZ=") || strings.HasPrefix(spec, "TZ=")) && !strings.Contains(spec, " ") {
		return nil, fmt.Errorf("%s names no time after its time zone", spec)
	}
	return cron.ParseStandard(spec)
}

// skipped is a spec schedule that also runs when the clocks skip a time it
// names.
type skipped struct {
	spec, wall *cron.SpecSchedule
}

// Next returns the spec's next time after t, or a change of the clocks
// before it that skips a time the spec names; a time in the second pass
// of a repeated hour is passed over unless the spec runs every hour.
func (s skipped) Next(t time.Time) time.Time {
	next := s.spec.Next(t)
	for !next.IsZero() && !s.hourly() && s.repeated(next) {
		next = s.spec.Next(next)
	}
	for at := t; !next.IsZero(); {
		_, change := at.In(s.spec.Location).ZoneBounds()
		if change.IsZero() || !change.Before(next) {
			break
		}
		if s.skips(change) {
			return change
		}
		at = change
	}
	return next
}

// skips reports whether the clocks go forward at change over a clock time
// the spec names.
func (s skipped) skips(change time.Time) bool {
	_, before := change.Add(-time.Second).In(s.spec.Location).Zone()
	_, after := change.In(s.spec.Location).Zone()
	if after <= before {
		return false
	}
	// The clock times skipped, [from, to), written as UTC times.
	from := change.UTC().Add(time.Duration(before) * time.Second)
	to := change.UTC().Add(time.Duration(after) * time.Second)
	return s.wall.Next(from.Add(-time.Second)).Before(to)
}

// allHours is the hours field of a spec that runs in every hour.
const allHours = 1<<24 - 1

// hourly reports whether the spec names every hour of the day.
func (s skipped) hourly() bool { return s.spec.Hour&allHours == allHours }

// repeated reports whether at is in the second pass of clock times the
// clocks went back over: the clock time it reads was already read before
// the change.
func (s skipped) repeated(at time.Time) bool {
	start, _ := at.In(s.spec.Location).ZoneBounds()
	if start.IsZero() {
		return false
	}
	_, before := start.Add(-time.Second).In(s.spec.Location).Zone()
	_, after := start.In(s.spec.Location).Zone()
	back := time.Duration(before-after) * time.Second
	return back > 0 && at.Before(start.Add(back))
}
