package report_test

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestFailuresChartLabelsShowOnOneLine: the Summary's chart of failed
// submissions per portal labelled each bar with the Portal health table's
// name, and a portal syncd does not know by a long name
// ("Propertyfinder_international", 28 characters) printed wrapped
// mid-word beside its bar ("Propertyfinder_internationa" over "l"). A
// name longer than 20 characters is now cut for the chart, ending in "…"
// (the labels, outside the printed area, beside the table's rows), and
// the table still names it whole; a day of names that fit labels the bars
// with the table's own.
func TestFailuresChartLabelsShowOnOneLine(t *testing.T) {
	t.Parallel()
	for _, long := range []bool{true, false} {
		db := openDB(t)
		portals := []string{"rightmove", "zoopla"}
		if long {
			portals = append(portals, "propertyfinder_international", "the_london_property_exchange_ltd")
		}
		for i, p := range portals {
			submission(t, db, time.UTC, time.Date(2026, 6, 2, 9, i, 0, 0, time.UTC), p, fmt.Sprint(100+i), "error", "ERR_MISSING_PRICE")
		}
		path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
			report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		f := openBook(t, path)
		labels := chartLabels(t, path, f, "Failed submissions per portal")
		sum := summaryMap(t, f)
		if len(labels) != len(portals) {
			t.Fatalf("labels %q for %d portals", labels, len(portals))
		}
		for _, l := range labels {
			if n := utf8.RuneCountInString(l); n > 20 {
				t.Errorf("the chart labels a bar %q, %d characters: it wraps", l, n)
			}
			if !long && !strings.HasSuffix(l, "…") {
				if _, ok := sum[l]; !ok {
					t.Errorf("the chart's label %q is not the Portal health table's", l)
				}
			}
		}
		if long {
			for _, whole := range []string{"Propertyfinder_international", "The_london_property_exchange_ltd"} {
				if _, ok := sum[whole]; !ok {
					t.Errorf("the Portal health table does not name %q whole: %q", whole, sum)
				}
				found := false
				for _, l := range labels {
					found = found || strings.HasSuffix(l, "…") && strings.HasPrefix(whole, strings.TrimSuffix(l, "…"))
				}
				if !found {
					t.Errorf("no label in %q cut from %q", labels, whole)
				}
			}
		}
	}
}

// chartLabels reads the category labels of the Summary's chart titled
// title, from the cells its categories refer to.
func chartLabels(t *testing.T, path string, f *excelize.File, title string) []string {
	t.Helper()
	for name, x := range zipParts(t, path) {
		if !strings.HasPrefix(name, "xl/charts/chart") || !strings.Contains(x, title) {
			continue
		}
		m := regexp.MustCompile(`<(?:c:)?cat>.*?<(?:c:)?f>(?:'|&#39;)?Summary(?:'|&#39;)?!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)</(?:c:)?f>`).FindStringSubmatch(x)
		if m == nil {
			t.Fatalf("%s: no category range", name)
		}
		var first, last int
		fmt.Sscan(m[2], &first)
		fmt.Sscan(m[3], &last)
		var labels []string
		for r := first; r <= last; r++ {
			v, err := f.GetCellValue("Summary", fmt.Sprintf("%s%d", m[1], r))
			if err != nil {
				t.Fatal(err)
			}
			labels = append(labels, v)
		}
		return labels
	}
	t.Fatalf("no chart titled %q", title)
	return nil
}

// TestLongNamesShowWholeInTheSummarysTables: a portal or source syncd
// does not know, by a name longer than the Summary's first column
// ("the-portal-with-a-name-longer-than-forty-characters-and-more"),
// wrapped in Portal health and Leads by source in a row one line tall,
// which hid all but its first line; so did an error code longer than the
// column in Listings by error code. Their rows are now as tall as the
// name wraps to, and the Summary still prints on one page.
func TestLongNamesShowWholeInTheSummarysTables(t *testing.T) {
	t.Parallel()
	const (
		long = "the-portal-with-a-name-longer-than-forty-characters-and-more"
		code = "ERR_THE_LISTING_IS_REFUSED_FOR_A_REASON_THAT_HAS_A_LONG_NAME"
	)
	db := openDB(t)
	at := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	submission(t, db, time.UTC, at, long, "100", "error", code)
	submission(t, db, time.UTC, at.Add(time.Minute), "rightmove", "101", "error", "ERR_MISSING_PRICE")
	insertEvent(t, db, event{kind: "eaf", typ: "email_lead", at: at.Add(time.Hour),
		body: with(t, fixture(t, "eaf/email_lead.json"), "email_source", long)})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	width, err := f.GetColWidth("Summary", "A")
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]int{}
	for i, r := range rows(t, f, "Summary") {
		if len(r) == 0 || (!strings.EqualFold(r[0], long) && r[0] != code) {
			continue
		}
		named[r[0]]++
		ht, err := f.GetRowHeight("Summary", i+1)
		if err != nil {
			t.Fatal(err)
		}
		// At least the lines of a column's width its letters take.
		if lines := math.Ceil(report.FitWidth(r[0]) / width); ht < lines*12.75 {
			t.Errorf("Summary row %d, %q, is %v points tall: it wraps to %v lines in a column %v wide", i+1, r[0], ht, lines, width)
		}
	}
	if named["The-portal-with-a-name-longer-than-forty-characters-and-more"] != 2 || named[code] != 1 {
		t.Errorf("the Summary names the portal, as a source and a portal, and the code %v times", named)
	}
}

// TestFailuresChartLabelsAreNeverBroken: on a day of exactly five failing
// portals, one of them "rightmove_commercial" (20 characters, not cut for
// the chart), LibreOffice printed its bar's label broken mid-word
// ("Rightmove_comm" over "ercial"), with four or six it did not: it
// breaks a category axis's labels to a width of its own reckoning
// whenever they stand upright (rot 0), whatever the chart's room. The
// chart's portal names are now turned by a 60,000th of a degree, which no
// one sees and which LibreOffice takes as turned: it breaks none. (The
// hours under the leads per hour stay as they were: TestHourLabelsOfADSTDayRead.)
func TestFailuresChartLabelsAreNeverBroken(t *testing.T) {
	t.Parallel()
	for _, leads := range []bool{true, false} { // the failures chart second, or alone
		t.Run(fmt.Sprint("leads=", leads), func(t *testing.T) { failuresChartLabelsAreNeverBroken(t, leads) })
	}
}

func failuresChartLabelsAreNeverBroken(t *testing.T, leads bool) {
	db := openDB(t)
	portals := []string{"rightmove", "zoopla", "onthemarket", "primelocation", "rightmove_commercial"}
	for i, p := range portals {
		submission(t, db, time.UTC, time.Date(2026, 6, 2, 9, i, 0, 0, time.UTC), p, fmt.Sprint(100+i), "error", "ERR_MISSING_PRICE")
	}
	if leads {
		insertEvent(t, db, event{kind: "eaf", typ: "email_lead", body: fixture(t, "eaf/email_lead.json"),
			at: time.Date(2026, 6, 2, 10, 0, 0, 0, time.UTC)})
	}
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	labels := chartLabels(t, path, openBook(t, path), "Failed submissions per portal")
	if !slices.Contains(labels, "Rightmove_commercial") {
		t.Fatalf("the chart's labels %q: want Rightmove_commercial whole", labels)
	}
	rot := regexp.MustCompile(`<(?:c:)?catAx>.*?<a:bodyPr [^>]*\brot="(-?\d+)"`)
	charts := 0
	for name, x := range zipParts(t, path) {
		if !strings.HasPrefix(name, "xl/charts/chart") || !strings.Contains(x, "Failed submissions per portal") {
			continue
		}
		charts++
		m := rot.FindStringSubmatch(x)
		if m == nil {
			t.Fatalf("%s: no category axis text rotation", name)
		}
		n, _ := strconv.Atoi(m[1])
		if n == 0 || n <= -60000 || n >= 60000 {
			t.Errorf("%s: portal names turned by rot=%d (60,000ths of a degree): upright (0), LibreOffice breaks them mid-word; want under a degree, not 0", name, n)
		}
	}
	if charts != 1 {
		t.Errorf("%d failures charts, want 1", charts)
	}
}

// TestFailuresChartHasALineForEachPortal: the chart of failed submissions
// per portal was 200 pixels tall whatever the portals: on a day of 14
// portals LibreOffice had under 10 pixels a bar, too few for a 9-point
// label, and printed every other portal's name, the rest of the bars
// unnamed (at 12 it shrank the labels to fit). The chart is now tall
// enough for a label's line a bar, and the Summary still prints on one
// page at 80%. (Past 8 portals the chart has a bar for each of the 7 the
// Portal health table lists and one for the others it sums: 8 at most,
// TestSummaryOfManyPortalsAndSourcesFitsAPage.)
func TestFailuresChartHasALineForEachPortal(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	day := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	const portals = 14
	for i := range portals * 2 {
		submission(t, db, time.UTC, day.Add(time.Duration(7*60+i*17)*time.Minute), fmt.Sprintf("portal%02d", i%portals),
			fmt.Sprint(100+i), "error", "ERR_MISSING_PRICE")
	}
	insertEvent(t, db, event{kind: "eaf", typ: "email_lead", body: fixture(t, "eaf/email_lead.json"), at: day.Add(10 * time.Hour)})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	labels := chartLabels(t, path, f, "Failed submissions per portal")
	if len(labels) != 8 || labels[7] != "7 others" {
		t.Fatalf("the chart's labels %q: want 7 of the %d portals and 7 others", labels, portals)
	}
	// The chart's height, from its anchor's rows (the second chart in the
	// drawing: the leads per hour come first).
	anchor := regexp.MustCompile(`<xdr:from><xdr:col>\d+</xdr:col><xdr:colOff>\d+</xdr:colOff><xdr:row>(\d+)</xdr:row><xdr:rowOff>(\d+)</xdr:rowOff></xdr:from><xdr:to><xdr:col>\d+</xdr:col><xdr:colOff>\d+</xdr:colOff><xdr:row>(\d+)</xdr:row><xdr:rowOff>(\d+)</xdr:rowOff></xdr:to>`)
	found := anchor.FindAllStringSubmatch(zipParts(t, path)["xl/drawings/drawing1.xml"], -1)
	if len(found) != 2 {
		t.Fatalf("%d chart anchors, want 2", len(found))
	}
	n := make([]float64, 4)
	for i := range n {
		n[i], _ = strconv.ParseFloat(found[1][i+1], 64)
	}
	const emuPerPoint = 12700
	height := (n[3] - n[1]) / emuPerPoint
	for r := int(n[0]); r < int(n[2]); r++ { // 0-based rows: row r is the sheet's r+1
		h, err := f.GetRowHeight("Summary", r+1)
		if err != nil {
			t.Fatal(err)
		}
		height += h
	}
	// Its title and value axis take some 50 points; a 9-point label a line of 11.
	if per := (height - 50) / float64(len(labels)); per < 11 {
		t.Errorf("the failures chart is %.0f points tall: %.1f a bar, under a 9-point label's line (11)", height, per)
	}
	if scale, pages := summaryScale(t, f, path); pages != 1 || scale < 0.8 {
		t.Errorf("the Summary prints on %d page(s) at %.0f%%, want 1 at 80%% or more", pages, 100*scale)
	}
}
