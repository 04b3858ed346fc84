package schedule

import (
	"testing"
	"time"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestNextOverClockChanges: the runs of a spec around the days the clocks
// change in Copenhagen and in London, from a given time.
func TestNextOverClockChanges(t *testing.T) {
	cph, lon := zone(t, "Europe/Copenhagen"), zone(t, "Europe/London")
	ny, lhi := zone(t, "America/New_York"), zone(t, "Australia/Lord_Howe")
	utc := func(mo time.Month, d, h, m int) time.Time { return time.Date(2026, mo, d, h, m, 0, 0, time.UTC) }
	for _, c := range []struct {
		spec string
		loc  *time.Location
		from time.Time
		want []time.Time
	}{
		// 02:30 does not exist on 29 March in Copenhagen: 03:00 CEST, as the clocks jump
		{"30 2 * * *", cph, utc(3, 28, 12, 0), []time.Time{utc(3, 29, 1, 0), utc(3, 30, 0, 30)}},
		{"0 2 * * *", cph, utc(3, 28, 12, 0), []time.Time{utc(3, 29, 1, 0), utc(3, 30, 0, 0)}},
		{"30 1 * * *", lon, utc(3, 28, 12, 0), []time.Time{utc(3, 29, 1, 0), utc(3, 30, 0, 30)}},
		// not in the skipped hour: as before
		{"0 6 * * *", cph, utc(3, 28, 12, 0), []time.Time{utc(3, 29, 4, 0), utc(3, 30, 4, 0)}},
		{"0 3 * * *", cph, utc(3, 28, 12, 0), []time.Time{utc(3, 29, 1, 0), utc(3, 30, 1, 0)}},
		{"30 2 * * 1", cph, utc(3, 28, 12, 0), []time.Time{utc(3, 30, 0, 30)}}, // Mondays: Sunday's skip is not its
		// every 15 minutes: the jump is one run, not a second one at 03:00
		{"*/15 * * * *", cph, utc(3, 29, 0, 40), []time.Time{utc(3, 29, 0, 45), utc(3, 29, 1, 0), utc(3, 29, 1, 15)}},
		// going back, 02:30 occurs twice: it runs once, at the first (robfig/cron alone ran both)
		{"30 2 * * *", cph, utc(10, 24, 12, 0), []time.Time{utc(10, 25, 0, 30), utc(10, 26, 1, 30)}},
		{"30 2 * * *", cph, utc(10, 25, 0, 45), []time.Time{utc(10, 26, 1, 30)}}, // from inside the repeat
		{"0 2 * * *", cph, utc(10, 24, 12, 0), []time.Time{utc(10, 25, 0, 0), utc(10, 26, 1, 0)}},
		{"30 1 * * *", ny, utc(10, 31, 12, 0), []time.Time{utc(11, 1, 5, 30), utc(11, 2, 6, 30)}},
		// Lord Howe goes back 30 minutes, 02:00 to 01:30, on 5 April 2026: 01:45 once
		{"45 1 * * *", lhi, utc(4, 4, 0, 0), []time.Time{utc(4, 4, 14, 45), utc(4, 5, 15, 15)}},
		// Lord Howe goes forward 30 minutes, 02:00 to 02:30, on 4 October 2026: 02:15 as they jump
		{"15 2 * * *", lhi, utc(10, 3, 0, 0), []time.Time{utc(10, 3, 15, 30), utc(10, 4, 15, 15)}},
		// every hour, or every 15 minutes: both passes of the repeated hour, as time goes on
		{"30 * * * *", cph, utc(10, 25, 0, 0), []time.Time{utc(10, 25, 0, 30), utc(10, 25, 1, 30), utc(10, 25, 2, 30)}},
		{"*/30 * * * *", cph, utc(10, 25, 0, 10), []time.Time{utc(10, 25, 0, 30), utc(10, 25, 1, 0), utc(10, 25, 1, 30)}},
		// CRON_TZ wins over the zone given
		{"CRON_TZ=UTC 30 2 * * *", cph, utc(3, 28, 12, 0), []time.Time{utc(3, 29, 2, 30)}},
		{"@every 1m", cph, utc(3, 29, 0, 59), []time.Time{utc(3, 29, 1, 0), utc(3, 29, 1, 1)}},
	} {
		s, err := Parse(c.spec, c.loc)
		if err != nil {
			t.Fatal(err)
		}
		at := c.from
		for i, want := range c.want {
			if at = s.Next(at); !at.Equal(want) {
				t.Errorf("%q in %s from %v: run %d at %v, want %v", c.spec, c.loc, c.from, i+1, at.UTC(), want)
				break
			}
		}
	}
}

func TestParseRefusesABadSpec(t *testing.T) {
	if _, err := Parse("61 6 * * *", time.UTC); err == nil {
		t.Error("61 6 * * *: no error")
	}
}
