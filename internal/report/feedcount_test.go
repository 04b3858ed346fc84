package report_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestFeedImportCountsNoneAreSaidSo: a feed import whose
// eaf_records_modified was 1e999999999 showed 9223372036854775807 records
// changed, on the Feed imports sheet, the Summary's list and its total
// (which then overflowed with the others), and in the mail; text showed 0.
// A count that is none is now said so, "out of range" or "not a number",
// wherever the report shows it, and left out of the day's total, which
// says how many it leaves out.
func TestFeedImportCountsNoneAreSaidSo(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	day := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	for i, n := range []any{9, json.Number("1e999999999"), "many"} {
		insertEvent(t, db, event{kind: "eaf", typ: "feed_import", at: day.Add(time.Duration(10+i) * time.Hour), mapState: "ignored",
			body: with(t, fixture(t, "eaf/feed_import.json"), "eaf_records_modified", n, "eaf_date", nil, "eaf_timestamp", nil)})
	}
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Dir: t.TempDir(), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	want := []string{"9", "out of range", "not a number"}
	var sheet, listed []string
	for _, r := range rows(t, f, "Feed imports")[1:] {
		sheet = append(sheet, r[4])
	}
	var line string
	for _, r := range rows(t, f, "Summary") {
		if len(r) > 12 && r[8] == "Estate Agent Feeds" {
			listed = append(listed, r[12])
		}
		if len(r) > 0 && strings.HasPrefix(r[0], "Feed imports:") {
			line = r[0]
		}
	}
	if !slices.Equal(sheet, want) || !slices.Equal(listed, want) {
		t.Errorf("records changed: %q on the Feed imports sheet, %q on the Summary; want %q", sheet, listed, want)
	}
	if w := "Feed imports: 3, changing 9 property records; 2 imports' counts out of range or not a number."; line != w {
		t.Errorf("the Summary says %q, want %q", line, w)
	}
	recs, err := db.Reports(context.Background(), "2026-06-02")
	if w := "Feed imports: 3 (9 records changed; 2 imports' counts out of range or not a number)"; err != nil || len(recs) != 1 ||
		!strings.Contains(recs[0].Summary, w) {
		t.Errorf("the mail's text (%v): %+v; want %q", err, recs, w)
	}
}
