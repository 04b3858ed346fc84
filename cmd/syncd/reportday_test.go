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
	t.Parallel()
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

// TestReportDateInAnotherOrderSaysHowToWriteIt: a day written as people
// write it (28-11-2026, 5/12/2026, 2026-12-5) is refused saying the forms
// syncd reads, with yesterday's date as the example: it said
// `parse day "28-11-2026": want YYYY-MM-DD`, the words of the code. A date
// in the form that is none (2026-02-30) is said to be none.
func TestReportDateInAnotherOrderSaysHowToWriteIt(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	for _, date := range []string{"28-11-2026", "5/12/2026", "2026-12-5", "2026.12.04"} {
		_, err := reportDay(date, now, time.UTC)
		want := `"` + date + `" is not a day syncd reads: give YYYY-MM-DD, today or yesterday (yesterday was 2026-12-04)`
		if err == nil || err.Error() != want {
			t.Errorf("-date %s: %v, want %s", date, err, want)
		}
	}
	if _, err := reportDay("2026-02-30", now, time.UTC); err == nil || !strings.Contains(err.Error(), "2026-02-30 is not a date") {
		t.Errorf("-date 2026-02-30: %v, want it said to be no date", err)
	}
}
