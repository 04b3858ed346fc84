package report_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestAnotherDaysTimeNamesItsZoneWhereItCouldReadTwoWays: a portal
// failure submitted on another day than the report's showed its date and
// time without a zone: of a day the clocks went back, 02:30 CEST and the
// 02:30 CET an hour later read alike ("2026-10-25 02:30" twice), on the
// day after and on the days the clocks change, whose own times named
// their zone, as on any other. Such a time names its zone, in London and
// Copenhagen, on the days the clocks go back or forward and the day
// after; a time that reads one way only stays as it was, and the column
// is wide enough for the zone.
func TestAnotherDaysTimeNamesItsZoneWhereItCouldReadTwoWays(t *testing.T) {
	t.Parallel()
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	cph := copenhagen(t)
	type sub struct {
		at   time.Time // the submission's eaf_date
		want string    // its Submitted at
	}
	for _, c := range []struct {
		name string
		loc  *time.Location
		day  report.Day
		subs []sub
	}{
		{"Copenhagen, the day after they went back", cph, report.Day{Year: 2026, Month: 10, Day: 26}, []sub{
			{time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), "2026-10-25 02:30 CEST"},
			{time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), "2026-10-25 02:30 CET"},
			{time.Date(2026, 10, 25, 9, 0, 0, 0, time.UTC), "2026-10-25 10:00"}}},
		{"Copenhagen, the day they went back", cph, report.Day{Year: 2026, Month: 10, Day: 25}, []sub{
			{time.Date(2026, 10, 24, 21, 30, 0, 0, time.UTC), "2026-10-24 23:30"},
			{time.Date(2025, 10, 26, 0, 30, 0, 0, time.UTC), "2025-10-26 02:30 CEST"},
			{time.Date(2025, 10, 26, 1, 30, 0, 0, time.UTC), "2025-10-26 02:30 CET"}}},
		{"Copenhagen, the day they went forward", cph, report.Day{Year: 2026, Month: 3, Day: 29}, []sub{
			{time.Date(2026, 3, 28, 22, 0, 0, 0, time.UTC), "2026-03-28 23:00"},
			{time.Date(2025, 10, 26, 1, 30, 0, 0, time.UTC), "2025-10-26 02:30 CET"}}},
		{"London, the day after they went back", london, report.Day{Year: 2026, Month: 10, Day: 26}, []sub{
			{time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), "2026-10-25 01:30 BST"},
			{time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), "2026-10-25 01:30 GMT"}}},
		{"London, the day they went forward", london, report.Day{Year: 2026, Month: 3, Day: 29}, []sub{
			{time.Date(2026, 3, 28, 23, 30, 0, 0, time.UTC), "2026-03-28 23:30"},
			{time.Date(2025, 10, 26, 0, 30, 0, 0, time.UTC), "2025-10-26 01:30 BST"}}},
		{"Copenhagen, an ordinary day", cph, report.Day{Year: 2026, Month: 12, Day: 7}, []sub{
			{time.Date(2026, 10, 24, 8, 0, 0, 0, time.UTC), "2026-10-24 10:00"},
			{time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), "2026-10-25 02:30 CET"}}},
	} {
		db := openDB(t)
		received := time.Date(c.day.Year, c.day.Month, c.day.Day, 12, 0, 0, 0, c.loc)
		var want [][]string
		for i, s := range c.subs {
			ref := string(rune('A' + i))
			failed := with(t, []byte(`{}`), "eaf_type", "portal_submission", "eaf_status", "error", "eaf_action", "update",
				"eaf_target", "rightmove", "eaf_id", "E"+ref, "eaf_reference", ref, "eaf_date", s.at.Format(time.RFC3339),
				"eaf_errors", []any{map[string]any{"eaf_code": "ERR_MISSING_PRICE", "eaf_message": "no price"}})
			insertEvent(t, db, event{kind: "eaf", typ: "portal_submission", body: failed, at: received.Add(time.Duration(i) * time.Minute), mapState: "ignored"})
			want = append(want, []string{ref, s.want})
		}
		path, err := report.Make(context.Background(), c.day,
			report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: c.loc})
		if err != nil {
			t.Fatal(err)
		}
		f := openBook(t, path)
		r := rows(t, f, report.SheetFailures)
		ref, at := slices.Index(r[0], "Property"), slices.Index(r[0], "Submitted at")
		var got [][]string
		for _, row := range r[1:] {
			got = append(got, []string{row[ref], row[at]})
		}
		slices.SortFunc(got, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("%s: submitted at %q, want %q", c.name, got, want)
		}
		// wide enough for its zone: narrower, a spreadsheet shows a time as ###
		if w, err := f.GetColWidth(report.SheetFailures, string(rune('A'+at))); err != nil || w < 19 {
			t.Errorf("%s: Submitted at %v wide (%v), want room for its zone", c.name, w, err)
		}
	}
}
