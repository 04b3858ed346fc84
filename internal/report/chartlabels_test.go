package report_test

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
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
