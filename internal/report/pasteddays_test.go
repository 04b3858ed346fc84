package report_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestDetailSheetsShowTheirDayWhenPastedTogether: the Leads sheet got a
// Received column with each lead's date, but Portal failures, Feed imports
// and Needs attention showed their times of the day as hh:mm alone, so a
// week of those sheets pasted into one lost each row's day too. Each has
// its times with their dates in columns of its own (real date-times), on
// every day, that do not print.
func TestDetailSheetsShowTheirDayWhenPastedTogether(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	db := openDB(t)
	at := func(h, m int) time.Time { return time.Date(2026, 6, 2, h, m, 0, 0, loc) }
	submissionReceived(t, db, loc, at(10, 0), at(10, 1), "rightmove", "100", "error", "ERR_MISSING_PRICE")
	submissionReceived(t, db, loc, at(10, 40), at(10, 41), "rightmove", "100", "success")
	for i := range 6 { // more than the Summary lists: the sheet Feed imports shows
		insertEvent(t, db, event{kind: "eaf", typ: "feed_import", at: at(11, i), mapState: "ignored",
			body: with(t, fixture(t, "eaf/feed_import.json"), "eaf_id", string(rune('1'+i)), "eaf_date", "2026-06-02T09:07:00+02:00")})
	}
	insertQuarantine(t, db, at(12, 5).UTC(), "invalid JSON at byte 13")
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	for _, c := range []struct {
		sheet, title string
		header       int    // the header's row, from 0
		shown        string // the printed column of the time
		clock, full  string
		printed      string // the print area
	}{
		{"Portal failures", "Submitted on", 0, "Submitted at", "10:00", "2026-06-02 10:00", "'Portal failures'!$A:$J"},
		{"Portal failures", "Fixed on", 0, "Fixed at", "10:40", "2026-06-02 10:40", "'Portal failures'!$A:$J"},
		{"Feed imports", "Date and time", 0, "Time", "09:07", "2026-06-02 09:07", "'Feed imports'!$A:$F"},
		{"Needs attention", "Date and time", 1, "Time", "12:05", "2026-06-02 12:05", "'Needs attention'!$A:$H"},
	} {
		r := rows(t, f, c.sheet)
		if len(r) <= c.header+1 {
			t.Errorf("%s: no rows: %q", c.sheet, r)
			continue
		}
		col := cellIndex(t, r[c.header], c.title)
		row := r[c.header+1]
		clock := cellIndex(t, r[c.header], c.shown)
		if col >= len(row) || row[col] != c.full || row[clock] != c.clock {
			t.Errorf("%s: %s %q and %s in %q, want %s and %s", c.sheet, c.shown, row[clock], c.title, row, c.clock, c.full)
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(col+1, c.header+2)
		wall, _ := time.Parse("2006-01-02 15:04", c.full)
		wantDate(t, f, c.sheet, cell, wall)
		area := ""
		for _, d := range f.GetDefinedName() {
			if d.Name == "_xlnm.Print_Area" && d.Scope == c.sheet {
				area = d.RefersTo
			}
		}
		if area != c.printed {
			t.Errorf("%s prints %q, want %s", c.sheet, area, c.printed)
		}
	}
}

// TestDatesOfTheRepeatedHourSayTheirZone: on the day the clocks go back,
// Time names its zone, but Received showed the repeated hour without it: a
// lead at 02:30 CEST and one at 02:30 CET read "2026-10-25 02:30" both.
// Each says its zone, as a real date-time (its wall time) in a format
// that names it, which a filter groups by day and a sort orders; so do the
// other sheets' dates.
func TestDatesOfTheRepeatedHourSayTheirZone(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	db := openDB(t)
	cest := time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC) // 02:30 CEST
	cet := cest.Add(time.Hour)                             // 02:30 CET
	for _, at := range []time.Time{cest, cet} {
		insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"),
			at: at, mapState: "pending"})
	}
	insertQuarantine(t, db, cet, "invalid JSON at byte 13")
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 10, Day: 25},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	r := rows(t, f, report.SheetLeads)
	col := cellIndex(t, r[0], "Received")
	wall := time.Date(2026, 10, 25, 2, 30, 0, 0, time.UTC)
	for i, want := range []string{"2026-10-25 02:30 CEST", "2026-10-25 02:30 CET"} {
		if len(r) <= i+1 || r[i+1][col] != want {
			t.Errorf("lead %d's Received %q, want %s (rows %q)", i+1, r[min(i+1, len(r)-1)][col], want, r)
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(col+1, i+2)
		wantDate(t, f, report.SheetLeads, cell, wall)
	}
	a := rows(t, f, "Needs attention")
	col = cellIndex(t, a[1], "Date and time")
	if len(a) < 3 || a[2][col] != "2026-10-25 02:30 CET" {
		t.Errorf("Needs attention's Date and time %q, want 2026-10-25 02:30 CET", a)
	}
}

// TestHiddenFeedImportsPrintNothing: on a day of five feed imports or
// fewer the Summary lists them and the sheet Feed imports is hidden.
// LibreOffice prints a hidden sheet's print area all the same, and the
// sheet has one since its Date and time does not print: it must have
// none then, as a hidden Leads sheet has none.
func TestHiddenFeedImportsPrintNothing(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	db := openDB(t)
	insertEvent(t, db, event{kind: "eaf", typ: "feed_import", at: time.Date(2026, 6, 2, 11, 0, 0, 0, loc), mapState: "ignored",
		body: fixture(t, "eaf/feed_import.json")})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	if visible, err := f.GetSheetVisible("Feed imports"); err != nil || visible {
		t.Fatalf("Feed imports visible %v (%v), want hidden: the Summary lists its one import", visible, err)
	}
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Area" && d.Scope == "Feed imports" {
			t.Errorf("the hidden Feed imports prints %s, which LibreOffice prints all the same", d.RefersTo)
		}
	}
}
