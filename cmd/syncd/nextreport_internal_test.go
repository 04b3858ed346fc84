package main

import (
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestNextReportSaysWhenAndWhichDay: validate said nothing of when the
// next report is made, so "6 0 * * *" written for 06:00 showed only when
// the report came at 00:06. The line names the time in report.time_zone
// and the day reported, as the scheduler decides them (a run makes the
// days ended before it, catch_up_days back), and a schedule that looks
// swapped says so.
func TestNextReportSaysWhenAndWhichDay(t *testing.T) {
	t.Parallel()
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	at := func(mo time.Month, d, h, m int) time.Time { return time.Date(2026, mo, d, h, m, 0, 0, cph) }
	for _, c := range []struct {
		spec string
		now  time.Time
		want string
	}{
		{"0 6 * * *", at(12, 4, 7, 50), "next report: Sat 5 Dec 2026 06:00 Europe/Copenhagen (the 4 Dec report)"},
		{"0 6 * * *", at(12, 4, 5, 59), "next report: Fri 4 Dec 2026 06:00 Europe/Copenhagen (the 3 Dec report)"},
		{"6 0 * * *", at(12, 4, 7, 50), `next report: Sat 5 Dec 2026 00:06 Europe/Copenhagen (the 4 Dec report; ` +
			`"6 0 * * *" is 00:06: a schedule gives the minute first, then the hour: for 06:00 write "0 6 * * *")`},
		{"0 0 * * *", at(12, 4, 7, 50), "next report: Sat 5 Dec 2026 00:00 Europe/Copenhagen (the 4 Dec report)"},
		// weekly, on Mondays: the run makes the week's reports
		{"0 6 * * 1", at(12, 4, 7, 50), "next report: Mon 7 Dec 2026 06:00 Europe/Copenhagen (the reports of 30 Nov to 6 Dec)"},
		// the last day of the year, reported in the next
		{"0 6 * * *", at(12, 31, 12, 0), "next report: Fri 1 Jan 2027 06:00 Europe/Copenhagen (the 31 Dec 2026 report)"},
		// the clocks go forward at 02:00 on 29 March: 02:30 runs as they jump
		{"30 2 * * *", at(3, 28, 12, 0), "next report: Sun 29 Mar 2026 03:00 Europe/Copenhagen (the 28 Mar report)"},
		// in UTC by CRON_TZ, said in the report's zone
		{"CRON_TZ=UTC 0 5 * * *", at(12, 4, 7, 50), "next report: Sat 5 Dec 2026 06:00 Europe/Copenhagen (the 4 Dec report)"},
		{"0 6 * * *", at(12, 4, 7, 50), "next report: Sat 5 Dec 2026 06:00 Europe/Copenhagen (the 4 Dec report)"},
		{"@every 1m", at(12, 4, 7, 50), "next report: Sat 5 Dec 2026 00:00 Europe/Copenhagen or up to 1m0s later (the 4 Dec report)"},
		{"0 6 30 2 *", at(12, 4, 7, 50), `next report: none: report.schedule "0 6 30 2 *" names no time in the next 1830 days`},
	} {
		cfg := &config.Config{Report: config.Report{Schedule: c.spec, TimeZone: "Europe/Copenhagen", CatchUpDays: 7}}
		got, err := nextReport(cfg, c.now)
		if err != nil || got != c.want {
			t.Errorf("%q at %s:\n got %s (%v)\nwant %s", c.spec, c.now, got, err, c.want)
		}
	}
	for _, spec := range []string{"0 6 * * *", "30 0 * * *", "0 0 * * *", "0 12 * * *", "*/5 0 * * *"} {
		if s := swapped(spec); s != "" {
			t.Errorf("%q said swapped: %s", spec, s)
		}
	}
	if s := swapped("7 0 * * 1-5"); !strings.Contains(s, `for 07:00 write "0 7 * * 1-5"`) {
		t.Errorf("7 0 * * 1-5: %q", s)
	}
}
