package report_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestManyLongPortalsFailingStillMakeTheReport: the Summary's line naming
// every portal with a listing still failing among the others was one row
// as tall as its text, and past 409 points (Excel's most) the workbook
// could not be made: 50 portals of some 70 characters, each failing, and
// the day had no report and no mail ("the height of the row must be less
// than or equal to 409 points"). The line goes on in the rows below it,
// each within that height, and still names every portal.
func TestManyLongPortalsFailingStillMakeTheReport(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	day := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	var names []string
	for i := range 50 {
		name := fmt.Sprintf("portal%02d-%s", i, strings.Repeat("longname", 8))
		names = append(names, name)
		at := day.Add(time.Duration(8*60+i*10) * time.Minute)
		submission(t, db, time.UTC, at, name, fmt.Sprintf("A%d", i), "error", "ERR_CODE_1")
	}
	dir := t.TempDir()
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2}, report.Options{Store: db,
		Dir: dir, Location: time.UTC, Now: func() time.Time { return day.Add(30 * time.Hour) }})
	if err != nil {
		t.Fatalf("the report of 50 long-named portals failing: %v", err)
	}
	if _, err := os.Stat(path); err != nil || filepath.Dir(path) != dir {
		t.Fatal(err)
	}
	f := openBook(t, path)
	all := rows(t, f, "Summary")
	var text strings.Builder
	for i, r := range all {
		if len(r) == 0 || r[0] == "" {
			continue
		}
		if ht, _ := f.GetRowHeight("Summary", i+1); ht > 409 {
			t.Errorf("Summary row %d is %.2f points tall, over Excel's 409", i+1, ht)
		}
		text.WriteString(r[0] + "\n")
	}
	for _, n := range names[len(names)-5:] { // the last named are the ones past the first row
		if !strings.Contains(strings.ToLower(text.String()), strings.ToLower(n)) {
			t.Errorf("the Summary does not name %s", n)
		}
	}
}
