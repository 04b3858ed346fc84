package report_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestPrintedPagesNameTheirDay: the detail sheets' pages carry, in their
// footer, the sheet's name, the page number and the report's day, so that
// the printed pages of two days' reports, a Leads page whose times are
// hh:mm alone, say, still tell which day they are of. The footer named
// the sheet and the page alone.
func TestPrintedPagesNameTheirDay(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"),
		at: time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC), mapState: "pending"})
	insertQuarantine(t, db, time.Date(2026, 6, 2, 10, 0, 0, 0, time.UTC), "invalid JSON at byte 13")
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	for _, sheet := range []string{"Leads", "Needs attention"} {
		hf, err := f.GetHeaderFooter(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"&A", "Tuesday 2 June 2026", "Page &P of &N"} {
			if !strings.Contains(hf.OddFooter, want) {
				t.Errorf("%s's footer %q lacks %q", sheet, hf.OddFooter, want)
			}
		}
	}
}

// TestTimesAndCountsStandApart: times, right-aligned as numbers are, and
// the counts beside long texts ran into the text of the column beside
// them on the printed page ("04:13Lokalebasen", "2 ERR_MISSING_PRICE",
// "09:18xml_eaf_spec"). Times are left-aligned, under their column's
// title, the slack of their fitted column on their right; counts are
// centred, as the ids of Needs attention are.
func TestTimesAndCountsStandApart(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	f := openBook(t, busyDay(t))
	for _, c := range []struct{ sheet, cell, want string }{
		{"Leads", "A2", "left"},
		{"Portal failures", "F2", "left"},
		{"Portal failures", "G2", "center"},
		{"Feed imports", "A2", "left"},
		{"Feed imports", "A3", "left"}, // the day before's, with its date
		{"Feed imports", "E2", "center"},
	} {
		if st := cellStyle(t, f, c.sheet, c.cell); st.Alignment == nil || st.Alignment.Horizontal != c.want {
			t.Errorf("%s!%s aligned %+v, want %s", c.sheet, c.cell, st.Alignment, c.want)
		}
	}
	listed := 0
	for i, r := range rows(t, f, "Summary") {
		if len(r) > 9 && strings.HasPrefix(r[8], "Agency ") {
			listed++
			cell := fmt.Sprintf("J%d", i+1)
			if st := cellStyle(t, f, "Summary", cell); st.Alignment == nil || st.Alignment.Horizontal != "left" {
				t.Errorf("Summary!%s (%s) aligned %+v, want left", cell, r[9], st.Alignment)
			}
		}
	}
	if listed != 2 {
		t.Errorf("%d feed imports listed on the Summary, want 2", listed)
	}
}

// busyDay makes the workbook of a day with a lead, a failed portal
// submission and two feed imports, one dated the day before, and returns
// its path.
func busyDay(t *testing.T) string {
	t.Helper()
	db := openDB(t)
	day := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"),
		at: day.Add(9 * time.Hour), mapState: "pending"})
	submission(t, db, time.UTC, day.Add(10*time.Hour), "rightmove", "123", "error", "ERR_MISSING_PRICE")
	for i, at := range []time.Time{day.Add(11 * time.Hour), day.Add(-2 * time.Hour)} { // the second dated the day before
		insertEvent(t, db, event{kind: "eaf", typ: "feed_import", at: day.Add(12 * time.Hour), mapState: "ignored",
			body: with(t, fixture(t, "eaf/feed_import.json"), "eaf_agent_name", fmt.Sprintf("Agency %d", i),
				"eaf_date", at.Format(time.RFC3339))})
	}
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSummaryFiguresLineUpWithTheirLabels: on the Summary the labels of
// the tables' rows sat at the top of their rows and the figures beside
// them at the bottom, a few points lower ("All sources" above its "112"),
// and in the feed imports listed under the charts the time above the
// agent and format. Every cell of the tables and lines is aligned to the
// top of its row; only the headers and the alarms (filled) are centred.
func TestSummaryFiguresLineUpWithTheirLabels(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	f := openBook(t, busyDay(t))
	seen := 0
	for i, r := range rows(t, f, "Summary") {
		for j, v := range r {
			if v == "" || i == 0 || j >= 16 { // the title, alone on its row; the hours, not printed
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			st := cellStyle(t, f, "Summary", cell)
			if len(st.Fill.Color) > 0 && st.Fill.Color[0] != "FFC7CE" { // a header or an alarm
				continue
			}
			seen++
			if st.Alignment == nil || st.Alignment.Vertical != "top" {
				t.Errorf("Summary!%s %q aligned %+v, want at the top", cell, v, st.Alignment)
			}
		}
	}
	if seen < 20 {
		t.Errorf("%d cells checked, want the tables' and the feed imports' (20 or more)", seen)
	}
}

// TestErrorCodesOfEveryFailingPortal: the table of listings by error code
// had a column for each of the first six portals by name that had a
// submission, failing or not: a seventh's column was cut, and its errors
// read as zeros everywhere ("ERR_MISSING_PRICE 0 0 0 0 0 0" when Zoopla
// had one). Its columns are the portals with a listing failing, those
// with most first when there are more than six, and a line under it says
// what it leaves out.
func TestErrorCodesOfEveryFailingPortal(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	at := func(m int) time.Time { return time.Date(2026, 6, 2, 9, m, 0, 0, time.UTC) }
	for i, p := range []string{"alpha", "beta", "gamma", "delta", "epsilon", "onthemarket"} {
		submission(t, db, time.UTC, at(i), p, fmt.Sprint(100+i), "success")
	}
	submission(t, db, time.UTC, at(10), "zoopla", "200", "error", "ERR_MISSING_PRICE")
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	sum := summaryMap(t, openBook(t, path))
	if got := sum["Listings by error code"]; got != "Zoopla" {
		t.Errorf("error codes' portals %q, want Zoopla", got)
	}
	if got := sum["ERR_MISSING_PRICE"]; got != "1" {
		t.Errorf("ERR_MISSING_PRICE %q, want 1", got)
	}

	// Eight portals failing, and twelve codes: the six portals and ten
	// codes with most, and the rest named as left out.
	db = openDB(t)
	for i := range 8 {
		for j := range 12 {
			if j <= i+4 { // portal i fails i+5 listings, with ERR_00 to its own; ERR_11 on portal7 alone
				submission(t, db, time.UTC, at(i*12+j), fmt.Sprintf("portal%d", i), fmt.Sprint(1000*i+j), "error",
					fmt.Sprintf("ERR_%02d", j))
			}
		}
	}
	path, err = report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	sum = summaryMap(t, openBook(t, path))
	if got, want := sum["Listings by error code"], "Portal2 Portal3 Portal4 Portal5 Portal6 Portal7"; got != want {
		t.Errorf("error codes' portals %q, want %q", got, want)
	}
	if _, ok := sum["ERR_10"]; ok {
		t.Errorf("the 11th code is listed: %v", sum)
	}
	if got := sum["ERR_09"]; got != "0 0 0 1 1 1" {
		t.Errorf("ERR_09 %q, want 0 0 0 1 1 1", got)
	}
	note := "Not shown here: 2 portals and 2 error codes, on the sheet Portal failures."
	if _, ok := sum[note]; !ok {
		t.Errorf("no line %q under the table", note)
	}
}

// TestSummaryPlaceholdersStandWhereTheirFigures: the dash that stands for
// a figure not known (no report of the day before) was left-aligned, so a
// count beside it read as one with it ("0 –"), and it stood apart from
// where the figure stands on other days. It is right-aligned as figures are.
func TestSummaryPlaceholdersStandWhereTheirFigures(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	f := openBook(t, busyDay(t))
	for i, r := range rows(t, f, "Summary") {
		if len(r) == 0 || r[0] != "All sources" {
			continue
		}
		if len(r) < 6 || r[2] != "–" {
			t.Fatalf("All sources: %q, want dashes from C", r)
		}
		for col := 2; col <= 5; col++ {
			cell, _ := excelize.CoordinatesToCellName(col+1, i+1)
			if st := cellStyle(t, f, "Summary", cell); st.Alignment == nil || st.Alignment.Horizontal != "right" {
				t.Errorf("Summary!%s %q aligned %+v, want right", cell, r[col], st.Alignment)
			}
		}
		return
	}
	t.Fatal("no row All sources")
}

// TestListedFeedsShowTheirCut: the feed imports listed on the Summary sit
// one line each in columns of fixed width (under the charts); a longer
// agent's name or format was cut mid-letter at the column's edge, up
// against the time beside it ("Foxtons Ltd (Islington & Highb12:00"),
// nothing saying so. It is cut after a word where one ends near the edge,
// and ends with "…"; one that fits shows whole.
func TestListedFeedsShowTheirCut(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	day := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	for i, agent := range []string{"Knight Frank Residential Lettings Kensington", "Savills"} {
		insertEvent(t, db, event{kind: "eaf", typ: "feed_import", at: day.Add(12 * time.Hour), mapState: "ignored",
			body: with(t, fixture(t, "eaf/feed_import.json"), "eaf_agent_name", agent,
				"eaf_format", []string{"rightmove_datafeed_v3_json", "blm"}[i])})
	}
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	var got []string
	for _, r := range rows(t, f, "Summary") {
		if len(r) > 10 && r[8] != "" && r[8] != "Feed imports" {
			got = append(got, r[8]+"|"+r[10])
		}
	}
	want := []string{"Knight Frank Residential…|rightmove_dat…", "Savills|blm"}
	if !slices.Equal(got, want) {
		t.Errorf("feed imports listed %q, want %q", got, want)
	}
}

// TestLargeLeadNumbersShowWhole: the Leads sheet's Lead column (the
// number the links of Needs attention look up, and `syncd events show`
// takes) was 5 wide at most: once an installation had stored 100,000
// events, every lead's number showed as ##### . The column holds 9
// digits, whatever the first rows, those its widths are fitted to, hold.
func TestLargeLeadNumbersShowWhole(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	id := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"),
		at: time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC), mapState: "pending"})
	raw, err := sql.Open("sqlite3", "file:"+db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE events SET id = 1234567 WHERE id = ?`, id); err != nil { // a year of a busy agency
		t.Fatal(err)
	}
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	wantNumber(t, f, "Leads", "M2", 1234567)
	// 7 digits of 10-point Calibri, and the cell's padding, in widths of
	// 11-point digits (7 pixels, and 5 of padding): 7 × 6.4 + 5 pixels.
	if w, err := f.GetColWidth("Leads", "M"); err != nil || colPx(w) < 7*6.4+5 {
		t.Errorf("the Lead column %v wide (%v): 1234567 shows as ####", w, err)
	}
}

// colPx is a column width's pixels, as Excel draws it.
func colPx(w float64) float64 { return math.Trunc(w*7 + 5) }

// TestNoEmptyTablesOnADayWithoutLeads: on a day with portal submissions
// but no lead, the Summary printed the headers of Leads by source and
// Leads in the CRM with nothing under them, as if their rows had been
// lost; the day's 0 leads says it all. They are left out.
func TestNoEmptyTablesOnADayWithoutLeads(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	submission(t, db, time.UTC, time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC), "rightmove", "1", "error", "ERR_MISSING_PRICE")
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	sum := summaryMap(t, openBook(t, path))
	if got := sum["All sources"]; !strings.HasPrefix(got, "0 ") {
		t.Errorf("All sources %q, want 0 leads", got)
	}
	for _, title := range []string{"Leads by source", "Leads and the CRM"} {
		if _, ok := sum[title]; ok {
			t.Errorf("the Summary has an empty table %q", title)
		}
	}
	if sum["Rightmove"] == "" {
		t.Error("no portal health")
	}
}

// TestSummaryTitlesStandApart: on the printed Summary the titles of the
// figure columns ran together, "7-day averageChange" and "Listings
// failedStill failing", each filling its column to the edge of the next.
// Every title of the Leads and Portal health tables fits its column with
// a digit's width to spare, right-aligned over its figures (as the mail's
// table has them).
func TestSummaryTitlesStandApart(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	f := openBook(t, busyDay(t))
	seen := 0
	for i, r := range rows(t, f, "Summary") {
		if len(r) == 0 || r[0] != "Leads" && r[0] != "Portal health" {
			continue
		}
		for j, v := range r[1:min(len(r), 7)] {
			if v == "" {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+2, i+1)
			col, _ := excelize.ColumnNumberToName(j + 2)
			seen++
			if w, err := f.GetColWidth("Summary", col); err != nil || report.TitleWidth(v) > w {
				t.Errorf("Summary!%s %q needs %.1f of its column's %.1f (%v)", cell, v, report.TitleWidth(v), w, err)
			}
			if st := cellStyle(t, f, "Summary", cell); st.Alignment == nil || st.Alignment.Horizontal != "right" {
				t.Errorf("Summary!%s %q aligned %+v, want right, over its figures", cell, v, st.Alignment)
			}
		}
	}
	if seen != 10 {
		t.Errorf("saw %d titles of figures, want 10", seen)
	}
}

// TestDetailTitlesStandApart: on the printed Portal failures sheet the
// title "Submitted at" filled its column, fitted to its longest word and
// the times under it, to the edge: "Submitted atFailed". A title that
// would show on one line so is given its width in bold and a digit more.
func TestDetailTitlesStandApart(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	f := openBook(t, busyDay(t))
	r := rows(t, f, "Portal failures")
	if len(r) == 0 || len(r[0]) < 6 || r[0][5] != "Submitted at" {
		t.Fatalf("Portal failures' header %q, want Submitted at in F", r)
	}
	if w, err := f.GetColWidth("Portal failures", "F"); err != nil || w < report.TitleWidth("Submitted at") {
		t.Errorf("Submitted at is %.1f wide (%v), want %.1f or more", w, err, report.TitleWidth("Submitted at"))
	}
}

// TestErrorCodeTitlesFitTheirColumns: a portal's name longer than its
// column in the Listings by error code table ("Homesandproperty") printed
// over two lines of a one-line header, its second cut off
// ("Homesandpro"), or over its neighbour's. A name that does not fit is
// cut, ending in "…" (the Portal health table above names it whole).
func TestErrorCodeTitlesFitTheirColumns(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	for i, p := range []string{"homesandproperty", "rightmove"} {
		submission(t, db, time.UTC, time.Date(2026, 6, 2, 9, i, 0, 0, time.UTC), p, fmt.Sprint(100+i), "error", "ERR_MISSING_PRICE")
	}
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	titles := errorCodeTitles(t, openBook(t, path))
	if got := strings.Join(titles, " "); len(titles) != 2 || !strings.HasPrefix(got, "Homesand") || !strings.Contains(got, "… Rightmove") {
		t.Errorf("the portals' titles %q; want Homesandproperty cut with …, and Rightmove", got)
	}
}

// errorCodeTitles is the portals' titles of the Summary's Listings by
// error code table, each checked to fit its column in bold.
func errorCodeTitles(t *testing.T, f *excelize.File) []string {
	t.Helper()
	var titles []string
	for i, r := range rows(t, f, "Summary") {
		if len(r) == 0 || r[0] != "Listings by error code" {
			continue
		}
		titles = r[1:]
		for j, v := range titles {
			col, _ := excelize.ColumnNumberToName(j + 2)
			if w, err := f.GetColWidth("Summary", col); err != nil || report.TitleWidth(v) > w {
				t.Errorf("Summary!%s%d %q needs %.1f of its column's %.1f (%v)", col, i+1, v, report.TitleWidth(v), w, err)
			}
		}
	}
	return titles
}

// TestErrorCodeTitlesNameEveryKnownPortalWhole: on the printed Summary
// the Listings by error code table named OnTheMarket "OnTheMar…", and
// PrimeLocation was cut too, in columns of 12 and 11 where the page had
// room for them whole. Every portal Estate Agent Feeds names, in whichever
// column it falls (they are in alphabetical order), now fits its column
// whole, and the Summary still prints at 80% or more
// (TestBusiestSummaryPrintsAt80).
func TestErrorCodeTitlesNameEveryKnownPortalWhole(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	for _, portals := range [][]string{{"onthemarket", "primelocation", "rightmove", "zoopla"}, {"primelocation", "zoopla"}} {
		db := openDB(t)
		for i, p := range portals {
			submission(t, db, time.UTC, time.Date(2026, 6, 2, 9, i, 0, 0, time.UTC), p, fmt.Sprint(100+i), "error", "ERR_MISSING_PRICE")
		}
		path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
			report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		titles := errorCodeTitles(t, openBook(t, path))
		want := []string{}
		for _, p := range portals {
			want = append(want, map[string]string{"onthemarket": "OnTheMarket", "primelocation": "PrimeLocation",
				"rightmove": "Rightmove", "zoopla": "Zoopla"}[p])
		}
		if !slices.Equal(titles, want) {
			t.Errorf("the error codes' portals are titled %q, want %q", titles, want)
		}
	}
}
