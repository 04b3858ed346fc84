package report_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestWeekAverageLeavesOutDaysSyncdWasDown: a day the daemon was stopped
// from 08:00 to 20:00 (1 lead then, in its other hours; 5 leads on each
// other day of the week before) counted in the 7-day average as a day of
// 1 lead: "4.4 a day on average over the week before", a quiet week the
// manager read, when syncd did not receive for half of one day. The
// average is of the days syncd received all day, and says which it left
// out and why (stops under 10 minutes are not told, nor left out).
func TestWeekAverageLeavesOutDaysSyncdWasDown(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	ctx := context.Background()
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, loc) }
	db := openDB(t)
	lead := fixture(t, "lokalebasen/enquiry_created.json")
	for d := 13; d <= 20; d++ {
		n := 5
		if d == 16 {
			n = 1
		}
		for i := range n {
			insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: lead, at: at(d, 21, i)})
		}
	}
	runs := []report.Span{
		{From: at(12, 9, 0), To: at(16, 8, 0)},
		{From: at(16, 20, 0), To: at(18, 11, 0)},
		{From: at(18, 11, 5), To: at(21, 6, 0)}, // a stop of 5 minutes: not told, the day kept
	}
	dir := t.TempDir()
	var path string
	for d := 13; d <= 20; d++ {
		now := at(d+1, 6, 0)
		opts := report.Options{Store: db, Dir: dir, Location: loc, Now: func() time.Time { return now },
			Ran: func(context.Context) ([]report.Span, error) { return runs, nil }}
		var err error
		if path, err = report.Make(ctx, report.Day{Year: 2026, Month: 3, Day: d}, opts); err != nil {
			t.Fatal(err)
		}
	}
	after, err := db.Reports(ctx, "2026-03-17") // the day after the 12 hours' stop: its day before is a part of a day
	if err != nil || len(after) != 4 {
		t.Fatalf("records: %+v, %v", after, err)
	}
	if want := "1 the day before (syncd did not receive for 10 minutes or more during it)"; !strings.Contains(after[0].Summary, want) {
		t.Errorf("mail text of the day after the stop:\n%s\nwant it to say %q", after[0].Summary, want)
	}
	recs, err := db.Reports(ctx, "2026-03-20")
	if err != nil || len(recs) != 1 {
		t.Fatalf("records: %+v, %v", recs, err)
	}
	want := "5,0 a day on average over 6 of the 7 days before (left out: 1 day on which syncd did not receive for 10 minutes or more)"
	if !strings.Contains(recs[0].Summary, want) {
		t.Errorf("mail text of a day after a week with a day syncd was stopped for 12 hours:\n%s\nwant it to say %q", recs[0].Summary, want)
	}
	if !strings.Contains(recs[0].HTML, want) {
		t.Errorf("mail's HTML:\n%s\nwant it to say %q", recs[0].HTML, want)
	}
	f := openBook(t, path)
	if want := "The 6-day average leaves out 1 day on which syncd did not receive for 10 minutes or more."; !strings.Contains(summaryOf(t, f), want) {
		t.Errorf("Summary:\n%s\nwant it to say %q", summaryOf(t, f), want)
	}
	for i, row := range rows(t, f, "Summary") {
		if len(row) > 0 && row[0] == "Leads" {
			wantRow(t, row, "Leads", "This day", "Day before", "Change", "6-day average")
			if next := rows(t, f, "Summary")[i+1]; len(next) < 5 || next[4] != "5.0" {
				t.Errorf("the leads of the day: %q, want an average of 5.0", next)
			}
			return
		}
	}
	t.Fatal("no Leads table on the Summary")
}
