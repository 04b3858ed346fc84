package main

import (
	"strings"
	"testing"
	"time"
)

// TestReportDateTakesTodayAndYesterday: an operator who wants the report of
// the day under way types -date today, not the date in the report's zone
// (before: `parse day "today": want YYYY-MM-DD`, exit 2). The words are read
// in the report's time zone: at 23:30 UTC it is already the next day in
// Copenhagen.
func TestReportDateTakesTodayAndYesterday(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 23, 30, 0, 0, time.UTC) // 5 Dec 00:30 in Copenhagen
	for date, want := range map[string]string{
		"today": "2026-12-05", "Today": "2026-12-05", "yesterday": "2026-12-04", "": "2026-12-04", "2026-12-01": "2026-12-01",
	} {
		day, err := reportDay(date, now, loc)
		if err != nil || day.String() != want {
			t.Errorf("-date %q: %v, %v; want %s", date, day, err, want)
		}
	}
	_, err = reportDay("tomorrow", now, loc)
	if err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD, today or yesterday") {
		t.Errorf("-date tomorrow: %v, want the forms syncd reads", err)
	}
	if _, err := reportDay("2026-12-06", now, loc); err == nil || !strings.Contains(err.Error(), "has not begun") {
		t.Errorf("-date 2026-12-06: %v, want not begun", err)
	}
}
