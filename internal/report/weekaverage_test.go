package report_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestWeekAverageSaysTheDaysItAverages: the day after the day after
// syncd was installed (at 10:15, 1 lead then; 5 leads the next day; 1 on the day)
// said "3.0 a day on average over the week before" under a "7-day
// average" of 3: two days' reports, one of them of a part of a day. The
// average is of the whole days reported, and says over how many.
func TestWeekAverageSaysTheDaysItAverages(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	ctx := context.Background()
	db := openDB(t)
	installed := time.Date(2026, 3, 18, 10, 15, 0, 0, loc)
	lead := fixture(t, "lokalebasen/enquiry_created.json")
	for d, n := range map[int]int{18: 1, 19: 5, 20: 1} {
		for i := range n {
			insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: lead,
				at: time.Date(2026, 3, d, 15, i, 0, 0, loc)})
		}
	}
	dir := t.TempDir()
	var path string
	for d := 18; d <= 20; d++ {
		now := time.Date(2026, 3, d+1, 6, 0, 0, 0, loc)
		var err error
		path, err = report.Make(ctx, report.Day{Year: 2026, Month: 3, Day: d}, report.Options{Store: db, Dir: dir, Location: loc,
			Installed: installed, Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
	}
	recs, err := db.Reports(ctx, "2026-03-19")
	if err != nil || len(recs) != 2 || recs[0].Leads != 5 {
		t.Fatalf("records: %+v, %v", recs, err)
	}
	for _, r := range recs {
		if r.Day != "2026-03-20" {
			continue
		}
		if want := "5,0 a day on average over 1 of the 7 days before"; !strings.Contains(r.Summary, want) || strings.Contains(r.Summary, "week before") {
			t.Errorf("mail text of the second day after the installation:\n%s\nwant it to say %q", r.Summary, want)
		}
	}
	f := openBook(t, path)
	for i, row := range rows(t, f, "Summary") {
		if len(row) > 0 && row[0] == "Leads" {
			wantRow(t, row, "Leads", "This day", "Day before", "Change", "1-day average")
			if next := rows(t, f, "Summary")[i+1]; len(next) < 5 || next[0] != "All sources" || next[2] != "5" || next[4] != "5.0" {
				t.Errorf("the leads of the second day after the installation: %q, want 5 the day before and an average of 5", next)
			}
			return
		}
	}
	t.Fatal("no Leads table on the Summary")
}

// TestDayBeforeOfAPartOfADaySaysSo: the first whole day after syncd was
// installed (at 10:15 the day before, 1 lead then; 5 on the day) gave its
// change against the day before as +400%, a whole day's leads against
// those of the hours after the installation, which the average leaves
// out. The day before's leads are shown, its change is none, and the mail
// says why.
func TestDayBeforeOfAPartOfADaySaysSo(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	ctx := context.Background()
	db := openDB(t)
	installed := time.Date(2026, 3, 18, 10, 15, 0, 0, loc)
	lead := fixture(t, "lokalebasen/enquiry_created.json")
	for d, n := range map[int]int{18: 1, 19: 5} {
		for i := range n {
			insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: lead,
				at: time.Date(2026, 3, d, 15, i, 0, 0, loc)})
		}
	}
	dir := t.TempDir()
	var path string
	for d := 18; d <= 19; d++ {
		now := time.Date(2026, 3, d+1, 6, 0, 0, 0, loc)
		var err error
		path, err = report.Make(ctx, report.Day{Year: 2026, Month: 3, Day: d}, report.Options{Store: db, Dir: dir, Location: loc,
			Installed: installed, Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
	}
	recs, err := db.Reports(ctx, "2026-03-19")
	if err != nil || len(recs) != 1 {
		t.Fatalf("records: %+v, %v", recs, err)
	}
	if want := "1 the day before (syncd was installed during it)"; !strings.Contains(recs[0].Summary, want) {
		t.Errorf("mail text of the first whole day:\n%s\nwant it to say %q", recs[0].Summary, want)
	}
	f := openBook(t, path)
	for i, row := range rows(t, f, "Summary") {
		if len(row) > 0 && row[0] == "Leads" {
			wantRow(t, row, "Leads", "This day", "Day before", "Change")
			if next := rows(t, f, "Summary")[i+1]; len(next) < 4 || next[1] != "5" || next[2] != "1" || next[3] != "–" {
				t.Errorf("the leads of the first whole day: %q, want 5, 1 the day before and no change", next)
			}
			return
		}
	}
	t.Fatal("no Leads table on the Summary")
}
