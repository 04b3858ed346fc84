package report_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestDayWhoseMidnightTheClocksSkip: in the Azores (and in Chile and
// Cuba) the clocks go forward at midnight, from 00:00 to 01:00, and the day
// began at 23:00 the evening before: a lead received at 23:30 on Saturday
// 28 March was in Sunday's report and not in Saturday's, and Sunday's
// was titled "Saturday 28 March 2026". A day begins at its first instant,
// 01:00 when its midnight is skipped: Saturday has 24 hours, its lead
// among them, and Sunday 23.
func TestDayWhoseMidnightTheClocksSkip(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	azores, err := time.LoadLocation("Atlantic/Azores")
	if err != nil {
		t.Fatal(err)
	}
	sat, sun := report.Day{Year: 2026, Month: 3, Day: 28}, report.Day{Year: 2026, Month: 3, Day: 29}
	for _, c := range []struct {
		day   report.Day
		from  time.Time
		hours int
	}{{sat, time.Date(2026, 3, 28, 1, 0, 0, 0, time.UTC), 24}, {sun, time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), 23}} {
		from, to := c.day.Bounds(azores)
		if !from.Equal(c.from) || to.Sub(from) != time.Duration(c.hours)*time.Hour {
			t.Errorf("%s in the Azores: from %v to %v, want from %v, %d hours", c.day, from, to, c.from.In(azores), c.hours)
		}
		if report.DayOf(from, azores) != c.day {
			t.Errorf("%s in the Azores begins on %s", c.day, report.DayOf(from, azores))
		}
	}

	db := openDB(t)
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"),
		at: time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC), mapState: "pending"}) // 23:30 on Saturday in the Azores
	made := time.Date(2026, 3, 30, 6, 0, 0, 0, azores)
	for _, c := range []struct {
		day   report.Day
		title string
		lead  bool
	}{{sat, "Saturday 28 March 2026", true}, {sun, "Sunday 29 March 2026", false}} {
		path, err := report.Make(context.Background(), c.day, report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"),
			Location: azores, Now: func() time.Time { return made }})
		if err != nil {
			t.Fatal(err)
		}
		f := openBook(t, path)
		leads := rows(t, f, "Leads")
		if got := len(leads) > 1 && leads[1][0] == "23:30"; got != c.lead {
			t.Errorf("%s: the lead of 23:30 on Saturday on its Leads sheet: %v, want %v\n%q", c.day, got, c.lead, leads)
		}
		if s := summaryOf(t, f); !strings.Contains(s, "Leads report · "+c.title) {
			t.Errorf("%s's Summary:\n%s\nwant it titled %q", c.day, s, c.title)
		}
	}
}
