package report

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Day is one calendar day in the report's time zone.
type Day struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDay reads a day written as YYYY-MM-DD.
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	var perr *time.ParseError
	if errors.As(err, &perr) && strings.HasSuffix(perr.Message, "out of range") { // 2026-02-30, 2026-13-01
		return Day{}, fmt.Errorf("%s is not a date (%s)", s, strings.TrimPrefix(perr.Message, ": "))
	}
	if err != nil {
		return Day{}, fmt.Errorf("parse day %q: want YYYY-MM-DD", s)
	}
	return DayOf(t, time.UTC), nil
}

// DayOf returns the day t falls on in loc.
func DayOf(t time.Time, loc *time.Location) Day {
	y, m, d := t.In(loc).Date()
	return Day{y, m, d}
}

// String renders d as YYYY-MM-DD.
func (d Day) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// AddDays returns the day n days after d (before, when n is negative).
func (d Day) AddDays(n int) Day {
	return DayOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC), time.UTC)
}

// Bounds returns the instants the day starts and ends in loc: a day is
// 23 or 25 hours long when the clocks change.
func (d Day) Bounds(loc *time.Location) (from, to time.Time) {
	return d.start(loc), d.AddDays(1).start(loc)
}

// start is the first instant of d in loc: its midnight or, where the
// clocks go forward at midnight (Atlantic/Azores, America/Santiago), the
// instant they jump to 01:00, which time.Date puts an hour back, at 23:00
// the day before.
func (d Day) start(loc *time.Location) time.Time {
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
	if DayOf(t, loc) != d {
		_, t = t.ZoneBounds()
	}
	return t
}

// FileName is the name of the day's workbook: leads-YYYY-MM-DD.xlsx.
func (d Day) FileName() string { return "leads-" + d.String() + ".xlsx" }

// Before reports whether d is earlier than e.
func (d Day) Before(e Day) bool { return d.String() < e.String() }
