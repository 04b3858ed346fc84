package report_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestEmptyDaysSummarySaysTheDaysBefore: on a Tuesday nothing was
// received, where the week before had 83 leads a day. The mail said "No
// leads (118 the day before, 83.3 a day on average over the week
// before)", but the workbook's Summary said only "Nothing was received on
// Tuesday 17 March 2026", as of a quiet Sunday: whoever opened the
// workbook had no way to tell the day was anything but quiet. The Summary
// says the days before as the mail does.
func TestEmptyDaysSummarySaysTheDaysBefore(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	day := report.Day{Year: 2026, Month: 3, Day: 17}
	for i, n := range []int{97, 104, 88, 35, 41, 100, 118} {
		d := day.AddDays(i - 7)
		made := time.Date(d.Year, d.Month, d.Day+1, 6, 0, 0, 0, loc)
		if err := db.RecordReport(ctx, report.Record{Day: d.String(), Path: d.FileName(), Leads: n, CreatedAt: made}); err != nil {
			t.Fatal(err)
		}
	}
	path, err := report.Make(ctx, day, report.Options{Store: db, Dir: t.TempDir(), Location: loc,
		Installed: time.Date(2026, 3, 1, 9, 0, 0, 0, loc), Now: func() time.Time { return time.Date(2026, 3, 18, 6, 0, 0, 0, loc) }})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range rows(t, openBook(t, path), report.SheetSummary) {
		lines = append(lines, strings.Join(r, " | "))
	}
	text := strings.Join(lines, "\n")
	const want = "No leads (118 the day before, 83,3 a day on average over the week before)"
	if !strings.Contains(text, "Nothing was received on Tuesday 17 March 2026") || !strings.Contains(text, want) {
		t.Errorf("the Summary does not say the day was empty and %q:\n%s", want, text)
	}
}
