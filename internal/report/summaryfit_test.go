package report_test

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestBusiestSummaryPrintsAt80: the Summary prints on one page, and a
// busy day's took 668 of the 677 points of rows that fit one at 80% of
// its size: one row or alarm more (a second portal failing, a CRM check
// failing beside the pause) and it printed below 80%, its 10-point text
// under 8. A day with every table at its fullest (seven sources, every
// CRM status, six portals failing with a dozen error codes, three alarms,
// feed imports, quarantined bodies and operations given up) still prints
// on one page at 80% or more, and so it does below a fourth alarm. With
// seven or ten (new event types each raise one), it printed at 75%, then
// 67%: its alarms now take a page of their own, and the tables and
// charts the next, both at 80%.
func TestBusiestSummaryPrintsAt80(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	day := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	lead := fixture(t, "eaf/email_lead.json")
	enquiry := fixture(t, "lokalebasen/enquiry_created.json")
	portals := []string{"rightmove", "zoopla", "onthemarket", "primelocation", "jamesedition", "homesandproperty"}
	for i := range 24 {
		when := day.Add(time.Duration(8*60+i*25) * time.Minute)
		ev := event{kind: "eaf", typ: "email_lead", at: when, body: with(t, lead, "eaf_id", fmt.Sprint(i), "email_source", portals[i%6])}
		if i%4 == 3 {
			ev = event{kind: "lokalebasen", typ: "enquiry_created", at: when,
				body: with(t, enquiry, "payload.enquiry.type", []string{"direct", "extra"}[i%2])}
		}
		switch i % 6 {
		case 0:
			ev.mapState = "pending"
		case 1:
			ev.mapState, ev.mapError = "unmappable", `rule "eaf-email-lead": contact has no email and no phone`
		case 2:
			ev.mapState = "ignored"
		}
		id := insertEvent(t, db, ev)
		switch i % 6 {
		case 3:
			insertOp(t, db, id, op{kind: "contact", state: "done", crmID: fmt.Sprint(100 + i), at: when})
		case 4:
			insertOp(t, db, id, op{kind: "contact", state: "dead", lastError: "crm 400 INVALID_EMAIL", at: when})
		case 5:
			given := insertOp(t, db, id, op{kind: "contact", state: "pending", lastError: "crm 504 Gateway Timeout", at: when})
			if i == 5 {
				at(db, when.Add(time.Hour), func() {
					if _, err := db.GiveUpOp(context.Background(), given, "hubspot", "given up by hand (syncd outbox give-up)"); err != nil {
						t.Fatal(err)
					}
				})
			}
		}
	}
	for i := range 30 {
		codes := []string{fmt.Sprintf("ERR_CODE_%02d", i%12)}
		submission(t, db, time.UTC, day.Add(time.Duration(9*60+i*10)*time.Minute), portals[i%6], fmt.Sprint(8700+i), "error", codes...)
	}
	for i := range 3 {
		insertEvent(t, db, event{kind: "eaf", typ: "feed_import", at: day.Add(time.Duration(11+i) * time.Hour), mapState: "ignored",
			body: with(t, fixture(t, "eaf/feed_import.json"), "eaf_agent_name", fmt.Sprintf("Agency %d", i))})
	}
	insertQuarantine(t, db, day.Add(15*time.Hour), "invalid JSON at byte 13")
	alarms := []report.Alarm{
		{Since: day.Add(21 * time.Hour), Short: "CRM paused", Text: "CRM adapter hubspot is paused: the daily API limit is spent. " +
			"Leads wait in the outbox; they are sent when the limit resets, or run: syncd sync -resume"},
		{Since: day.Add(20 * time.Hour), Short: "CRM check failing", Text: "the CRM account check fails: 3 properties the mappings " +
			"write are missing in HubSpot (syncd_lead_id, syncd_source, syncd_portal); leads wait: run syncd crm check, then syncd crm setup"},
		{Since: day.Add(-24 * time.Hour), Until: day.Add(30 * time.Hour), Short: "leads lost", Text: "syncd was restored from a backup " +
			"taken then; leads answered until the restore may be lost: ask the portals to send them again"},
	}
	// And below a fourth alarm, the charts beside the tables lower.
	budget := report.Alarm{Since: day.Add(16 * time.Hour), Short: "CRM budget spent", Text: "the CRM's daily request budget " +
		"is spent: leads wait in the outbox until the next full hour; raise sync.daily_budget if the account allows more"}
	sets := [][]report.Alarm{alarms, append(slices.Clone(alarms), budget)}
	more := append(slices.Clone(alarms), budget)
	for i := range 6 {
		more = append(more, report.Alarm{Short: fmt.Sprintf("new event type listing_%d_changed", i),
			Text: fmt.Sprintf("new event type listing_%d_changed: 3 events, no rule maps them", i)})
		if len(more) == 7 || len(more) == 10 {
			sets = append(sets, slices.Clone(more))
		}
	}
	for _, alarms := range sets {
		path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2}, report.Options{Store: db,
			Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC, Now: func() time.Time { return day.Add(30 * time.Hour) },
			Alarms: func(context.Context) ([]report.Alarm, error) { return alarms, nil }})
		if err != nil {
			t.Fatal(err)
		}
		f := openBook(t, path)
		if got := len(summaryAlarms(t, path)); got != len(alarms) {
			t.Fatalf("%d alarms on the Summary, want %d: the test proves nothing", got, len(alarms))
		}
		scale, pages := summaryScale(t, f, path)
		if scale < 0.8 {
			t.Errorf("with %d alarms the Summary prints at %.0f%% of its size, want 80%% or more", len(alarms), 100*scale)
		}
		if want := 1 + len(alarms)/7; pages != want {
			t.Errorf("with %d alarms the Summary prints on %d page(s), want %d", len(alarms), pages, want)
		}
	}
}

// summaryScale is the scale Excel prints the Summary at, and on how many
// pages: one page wide and one tall (A4 landscape between its margins; a
// column of width w takes trunc(7w+5) pixels at 96 dpi), its rows as tall
// as the sheet says; or, with the alarms on a page of their own (a row
// break after them, at a scale of its own), each part within one page.
func summaryScale(t *testing.T, f *excelize.File, path string) (float64, int) {
	t.Helper()
	m, err := f.GetPageMargins("Summary")
	if err != nil {
		t.Fatal(err)
	}
	lastCol, lastRow := 0, 0
	for _, d := range f.GetDefinedName() {
		if m := regexp.MustCompile(`^'Summary'!\$A\$1:\$([A-Z]+)\$(\d+)$`).FindStringSubmatch(d.RefersTo); m != nil &&
			d.Name == "_xlnm.Print_Area" {
			lastCol, _ = excelize.ColumnNameToNumber(m[1])
			lastRow, _ = strconv.Atoi(m[2])
		}
	}
	if lastRow == 0 {
		t.Fatal("the Summary has no print area")
	}
	px := 0.0
	for c := 1; c <= lastCol; c++ {
		name, _ := excelize.ColumnNumberToName(c)
		w, _ := f.GetColWidth("Summary", name)
		px += math.Trunc(w*7 + 5)
	}
	points := func(from, to int) float64 {
		p := 0.0
		for r := from; r <= to; r++ {
			h, _ := f.GetRowHeight("Summary", r)
			p += h
		}
		return p
	}
	wide, tall := (11.69-*m.Left-*m.Right)*96/px, (8.27-*m.Top-*m.Bottom)*72
	layout, err := f.GetPageLayout("Summary")
	if err != nil {
		t.Fatal(err)
	}
	props, err := f.GetSheetProps("Summary")
	if err != nil {
		t.Fatal(err)
	}
	brk := rowBreak(t, path)
	lastAlarm, _ := f.GetCellValue("Summary", fmt.Sprintf("A%d", max(brk, 1)))
	if !*props.FitToPage || *layout.FitToWidth != 1 {
		t.Fatal("the Summary is not fitted to one page wide")
	}
	if *layout.FitToHeight == 1 && brk == 0 {
		return min(wide, tall/points(1, lastRow)), 1
	}
	// One page wide, as many tall as it takes: the scale is the width's.
	if *layout.FitToHeight != 0 || brk == 0 || points(1, brk)*wide > tall || points(brk+1, lastRow)*wide > tall ||
		!strings.HasPrefix(lastAlarm, "ALARM: ") {
		t.Fatalf("the Summary at %.0f%%, %d page(s) tall, its alarms to row %d apart: not a page of its alarms, then one of its tables "+
			"(%.0f and %.0f of %.0f points)", 100*wide, *layout.FitToHeight, brk, points(1, brk)*wide, points(brk+1, lastRow)*wide, tall)
	}
	return wide, 2
}

// rowBreak is the row the Summary's one manual page break comes after
// (the first sheet's, as the workbook is written); 0 when it has none.
func rowBreak(t *testing.T, path string) int {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	r, err := z.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	brks := regexp.MustCompile(`<rowBreaks[^>]*>\s*<brk id="(\d+)"`).FindSubmatch(b)
	if brks == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(brks[1]))
	return n
}
