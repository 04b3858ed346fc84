package report_test

import (
	"context"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestLeadsShowTheirDayWhenPastedTogether: a manager pastes a week of
// Leads sheets into one. Each lead's Time is a real date-time shown
// hh:mm, the report's day being in its title and footer, so the rows of
// seven days showed no day. The Received column shows each lead's date and
// time; it does not print: on paper the footer names the day, and the day
// in every printed Time (d mmm hh:mm) took 7 of the message's width, the
// sample's busy day 17 pages rather than 13.
func TestLeadsShowTheirDayWhenPastedTogether(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	db := openDB(t)
	when := time.Date(2026, 11, 25, 9, 5, 0, 0, loc)
	insertEvent(t, db, event{kind: "eaf", typ: "email_lead", body: fixture(t, "eaf/email_lead.json"), at: when})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 11, Day: 25}, report.Options{
		Store: db, Dir: t.TempDir(), Location: loc,
		Now: func() time.Time { return time.Date(2026, 11, 26, 6, 0, 0, 0, loc) }})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	r := rows(t, f, report.SheetLeads)
	col := cellIndex(t, r[0], "Received")
	if len(r) != 2 || r[1][col] != "2026-11-25 09:05" || r[1][0] != "09:05" {
		t.Fatalf("the lead shows Time %q and Received %q, want 09:05 and 2026-11-25 09:05", r[1][0], r[1][col])
	}
	cell, _ := excelize.CoordinatesToCellName(col+1, 2)
	wantDate(t, f, report.SheetLeads, cell, time.Date(2026, 11, 25, 9, 5, 0, 0, time.UTC)) // wall time
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Area" && d.Scope == report.SheetLeads && d.RefersTo != "'Leads'!$A:$L" {
			t.Errorf("the Leads sheet prints %s, want A to L", d.RefersTo)
		}
	}
}
