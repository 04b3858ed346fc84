package main

import (
	"testing"
	"time"
)

// TestSinceADayWhoseMidnightTheClocksSkip: -since YYYY-MM-DD is the
// day's first instant in report.time_zone. Where the clocks jump from
// midnight to 01:00 (Atlantic/Azores on 2026-03-29), Go's time.Date puts
// the missing midnight an hour back, at 23:00 the evening before, so
// -since 2026-03-29 took in the last hour of the 28th, which the report of
// the 29th leaves out.
func TestSinceADayWhoseMidnightTheClocksSkip(t *testing.T) {
	t.Parallel()
	azores, err := time.LoadLocation("Atlantic/Azores")
	if err != nil {
		t.Skip("no zone data:", err)
	}
	clk := clock{loc: azores}
	got, err := clk.since("2026-03-29", time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	// 00:00 -01:00 (Azores winter) is 01:00 UTC: the clocks jump to 01:00 +00:00.
	if want := time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("since(2026-03-29) in Atlantic/Azores = %v; want %v, when the day begins", got.UTC(), want)
	}
	if got.In(azores).Day() != 29 {
		t.Errorf("since(2026-03-29) = %v, a time of another day", got.In(azores))
	}
}
