package report_test

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestErrorCodeTitlesSayHowTheyAreCut: on the Summary's Listings by error
// code, a portal syncd does not know ("jamesedition") sorting before
// PrimeLocation moved it into column D, a digit narrower, which showed
// "PrimeLocati…", and a name past its column, known or not, was cut with
// nothing on the page saying what it was. Each title still fits its
// column (the page has no width to spare), and the line under the table
// names each one cut whole.
func TestErrorCodeTitlesSayHowTheyAreCut(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	long := "the-portal-with-a-name-longer-than-forty-characters-and-more"
	for i, p := range []string{"jamesedition", "homesandproperty", "onthemarket", "primelocation", "rightmove", long} {
		submission(t, db, time.UTC, time.Date(2026, 6, 2, 9, i, 0, 0, time.UTC), p, fmt.Sprint(100+i), "error", "ERR_MISSING_PRICE")
	}
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	titles := errorCodeTitles(t, f)
	var under string
	for i, r := range rows(t, f, "Summary") {
		if len(r) > 0 && r[0] == "ERR_MISSING_PRICE" {
			if next, err := f.GetCellValue("Summary", fmt.Sprintf("A%d", i+2)); err == nil {
				under = next
			}
		}
	}
	whole := map[string]string{"Homesandproperty": "", "Jamesedition": "", "OnTheMarket": "", "PrimeLocation": "", "Rightmove": "",
		"The-portal-with-a-name-longer-than-forty-characters-and-more": ""}
	var cut int
	for _, title := range titles {
		if _, ok := whole[title]; ok {
			continue
		}
		cut++
		name := ""
		for w := range whole {
			if strings.HasPrefix(w, strings.TrimSuffix(title, "…")) {
				name = w
			}
		}
		if len(name) > 40 {
			name = name[:39] + "…"
		}
		if !strings.HasSuffix(title, "…") || !strings.Contains(under, title+" is "+name) {
			t.Errorf("the title %q, cut, is not named whole under the table: %q", title, under)
		}
	}
	if cut == 0 || !strings.HasPrefix(under, "Cut to fit: ") {
		t.Errorf("titles %q, %d cut; the line under the table %q", titles, cut, under)
	}
}

// TestCodesNoteWrapsUnderItsTable: the line under Listings by error code,
// which names each portal cut to fit whole, ran on in one line right of
// the Summary's tables, under the charts, and was hidden there from its
// second portal on. It now wraps across the tables' columns, A to G, in a
// row as tall as it needs.
func TestCodesNoteWrapsUnderItsTable(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	for i, p := range []string{"jamesedition", "homesandproperty", "onthemarket", "primelocation", "rightmove",
		"the-portal-with-a-name-longer-than-forty-characters-and-more", "propertyfinder_international"} {
		submission(t, db, time.UTC, time.Date(2026, 6, 2, 9, i, 0, 0, time.UTC), p, fmt.Sprint(100+i), "error", "ERR_MISSING_PRICE")
	}
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	row, note := 0, ""
	for i, r := range rows(t, f, "Summary") {
		if len(r) > 0 && (strings.HasPrefix(r[0], "Not shown here: ") || strings.HasPrefix(r[0], "Cut to fit: ")) {
			row, note = i+1, r[0]
		}
	}
	if !strings.Contains(note, "Not shown here: 1 portal") || !strings.Contains(note, "Cut to fit: ") {
		t.Fatalf("the line under the table: %q", note)
	}
	merged, err := f.GetMergeCells("Summary")
	if err != nil {
		t.Fatal(err)
	}
	across := false
	for _, m := range merged {
		across = across || m.GetStartAxis() == fmt.Sprintf("A%d", row) && m.GetEndAxis() == fmt.Sprintf("G%d", row)
	}
	if !across {
		t.Errorf("the line under the table, row %d, is not across A to G: merged %v", row, merged)
	}
	width := 0.0
	for c := 'A'; c <= 'G'; c++ {
		w, err := f.GetColWidth("Summary", string(c))
		if err != nil {
			t.Fatal(err)
		}
		width += w
	}
	ht, err := f.GetRowHeight("Summary", row)
	if lines := math.Ceil(report.FitWidth(note) / width); err != nil || ht < lines*12.75 {
		t.Errorf("the line under the table is %v points tall (%v): it wraps to %v lines across A to G", ht, err, lines)
	}
	if st := cellStyle(t, f, "Summary", fmt.Sprintf("A%d", row)); st.Alignment == nil || !st.Alignment.WrapText {
		t.Errorf("the line under the table does not wrap: %+v", st.Alignment)
	}
}
