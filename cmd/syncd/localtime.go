package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/report"
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

// shownTimes are the times since reads beside RFC 3339: the one show
// prints (events list's RECEIVED, copied as it is), and a time of day in
// the clock's zone, with or without seconds.
var shownTimes = []string{"2006-01-02 15:04:05 -07:00", "2006-01-02 15:04:05", "2006-01-02T15:04:05",
	"2006-01-02 15:04", "2006-01-02T15:04"}

// since reads -since (and -before): an RFC 3339 time, a time as show
// prints it or one without its offset (in the clock's zone), a date
// (its first instant in the clock's zone, as the report's day), or a duration back from now. The time
// events list printed was refused ("is not a time, date or duration"), and
// so were 1d and -24h without a word of what was meant.
func (c clock) since(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range shownTimes {
		if t, err := time.ParseInLocation(layout, s, c.loc); err == nil {
			return t, nil
		}
	}
	if _, err := time.Parse(time.DateOnly, s); err == nil {
		// The day's first instant, as the report's day begins: where the
		// clocks jump at midnight, 01:00 (time.Date puts that midnight at
		// 23:00 the evening before).
		d, _ := report.ParseDay(s)
		from, _ := d.Bounds(c.loc)
		return from, nil
	}
	d, err := time.ParseDuration(s)
	switch {
	case err == nil && d >= 0:
		return now.Add(-d), nil
	case err == nil:
		return time.Time{}, fmt.Errorf("%q is a duration forward: a duration counts back from now, give it without its sign (%s)",
			s, strings.TrimPrefix(s, "-"))
	}
	hint := ""
	if n := strings.TrimSuffix(strings.TrimSuffix(s, "d"), "days"); n != s && n != "" && strings.Trim(n, "0123456789") == "" {
		days, _ := strconv.Atoi(n)
		hint = fmt.Sprintf(" (a duration counts hours, not days: %s is %dh)", s, days*24)
	}
	return time.Time{}, fmt.Errorf("%q is not a time, date or duration%s: give a time as syncd events list shows it "+
		"(2026-11-01 09:30:00 +01:00), without its offset (2026-11-01 09:30, in report.time_zone) or in RFC 3339 "+
		"(2026-11-01T09:30:00+01:00), a date (2026-11-01: midnight in report.time_zone) or a duration back from now "+
		"(24h, 720h)", s, hint)
}
