package main

import (
	"fmt"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
)

// clock renders and reads times the one way every command does: in the
// zone of report.time_zone (the zone the report speaks), with the offset
// shown; JSON in RFC 3339 with the offset.
type clock struct{ loc *time.Location }

// clockOf is the configuration's clock; UTC if its zone cannot be loaded
// (validation has already refused such a configuration).
func clockOf(cfg *config.Config) clock {
	loc, err := time.LoadLocation(cfg.Report.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	return clock{loc: loc}
}

// show prints t for a person: "2026-11-29 23:05:01 +01:00", or "-".
func (c clock) show(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(c.loc).Format("2006-01-02 15:04:05 -07:00")
}

// rfc prints t for a program: RFC 3339 with the zone's offset, or "".
func (c clock) rfc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(c.loc).Format(time.RFC3339)
}

// since reads -since: an RFC 3339 time, a date (midnight in the clock's
// zone), or a duration back from now.
func (c clock) since(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, c.loc); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a time, date or duration", s)
}
