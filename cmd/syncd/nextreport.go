package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/schedule"
)

// maxReportWait bounds, in days, how far ahead the next report is looked
// for: a spec such as "0 6 29 2 *" runs once in four years.
const maxReportWait = 5 * 366

// nextReport says when the daemon makes its next daily report after now,
// in report.time_zone, as the scheduler decides it (report.Scheduler.Due:
// a day's report is made at the schedule's first run after the day
// ended; a run makes the days not made since, report.catch_up_days back):
// "next report: Sat 5 Dec 2026 06:00 Europe/Copenhagen (the 4 Dec
// report)". An operator who wrote "6 0 * * *" meaning 06:00 sees 00:06,
// and is told the fields may be swapped.
func nextReport(cfg *config.Config, now time.Time) (string, error) {
	loc, err := time.LoadLocation(cfg.Report.TimeZone)
	if err != nil {
		return "", err
	}
	spec := cfg.Report.Schedule
	if spec == "" {
		spec = report.DefaultSchedule
	}
	sched, err := schedule.Parse(spec, loc)
	if err != nil {
		return "", err
	}
	first, last, run := nextReportDays(sched, loc, now, max(cfg.Report.CatchUpDays, 1))
	if run.IsZero() {
		return fmt.Sprintf("next report: none: report.schedule %q names no time in the next %d days", spec, maxReportWait), nil
	}
	at := run.In(loc).Format("Mon 2 Jan 2006 15:04") + " " + loc.String()
	if c, ok := sched.(cron.ConstantDelaySchedule); ok { // ticks counted from the daemon's start
		at += fmt.Sprintf(" or up to %s later", c.Delay)
	}
	days := "the " + dayLabel(last, run.In(loc)) + " report"
	if first != last {
		days = "the reports of " + dayLabel(first, run.In(loc)) + " to " + dayLabel(last, run.In(loc))
	}
	return fmt.Sprintf("next report: %s (%s%s)", at, days, swapped(spec)), nil
}

// nextReportDays are the days whose reports are made next after now, and
// when: the first day, from yesterday on, whose run after it ended is
// after now, with the days before and after it that run reports too (a
// weekly schedule's run makes a week's), at most catchUp days before the
// run's (report.catch_up_days). A zero time when no run comes within
// maxReportWait days.
func nextReportDays(sched cron.Schedule, loc *time.Location, now time.Time, catchUp int) (first, last report.Day, run time.Time) {
	runOf := func(d report.Day) time.Time {
		_, end := d.Bounds(loc)
		return sched.Next(end.Add(-time.Second))
	}
	d := report.DayOf(now, loc).AddDays(-1)
	for i := 0; i < maxReportWait; i, d = i+1, d.AddDays(1) {
		run = runOf(d)
		if run.IsZero() {
			break
		}
		if !run.After(now) {
			continue
		}
		first, last = d, d
		for j := 0; j < maxReportWait && runOf(last.AddDays(1)).Equal(run); j++ {
			last = last.AddDays(1)
		}
		oldest := report.DayOf(run, loc).AddDays(-catchUp)
		for oldest.Before(first) && runOf(first.AddDays(-1)).Equal(run) {
			first = first.AddDays(-1)
		}
		if first.Before(oldest) {
			first = oldest
		}
		return first, last, run
	}
	return report.Day{}, report.Day{}, time.Time{}
}

// dayLabel is day as "4 Dec", with its year when that is not the year of
// run.
func dayLabel(day report.Day, run time.Time) string {
	t := time.Date(day.Year, day.Month, day.Day, 12, 0, 0, 0, time.UTC)
	if day.Year != run.Year() {
		return t.Format("2 Jan 2006")
	}
	return t.Format("2 Jan")
}

// swapped says, of a spec whose minute field could be an hour and whose
// hour is 0 ("6 0 * * *", 00:06), that the minute comes first: "0 6 * * *"
// is 06:00. "" for any other spec.
func swapped(spec string) string {
	f := strings.Fields(spec)
	if len(f) == 6 && (strings.HasPrefix(f[0], "CRON_TZ=") || strings.HasPrefix(f[0], "TZ=")) {
		f = f[1:]
	}
	if len(f) != 5 || f[1] != "0" {
		return ""
	}
	m, err := strconv.Atoi(f[0])
	if err != nil || m < 1 || m > 23 {
		return ""
	}
	return fmt.Sprintf("; %q is 00:%02d: a schedule gives the minute first, then the hour: for %02d:00 write \"0 %d %s\"",
		spec, m, m, m, strings.Join(f[2:], " "))
}
