package report_test

import (
	"context"
	"fmt"
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
