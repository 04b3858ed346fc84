package report_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestFeedImportOfAnotherYearSaysItsYear: the Summary lists a day's few
// feed imports with the time Estate Agent Feeds gives (eaf_date), and one
// of another day as "6 Sep 07:28", the column being too narrow for a year.
// Its own documented example, dated 2021, delivered on 3 December 2026,
// read as this September's: the manager looked for an import three months
// back. One of another year says its date with the year, "6 Sep 2021"; one
// of another day of the same year keeps its day and time.
func TestFeedImportOfAnotherYearSaysItsYear(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	db := openDB(t)
	day := time.Date(2026, 12, 3, 9, 0, 0, 0, loc)
	body := fixture(t, "eaf/feed_import.json") // eaf_date 2021-09-06T06:28:06+01:00
	insertEvent(t, db, event{kind: "eaf", typ: "feed_import", at: day, mapState: "ignored",
		body: with(t, body, "eaf_agent_name", "Agency Old")})
	insertEvent(t, db, event{kind: "eaf", typ: "feed_import", at: day.Add(time.Hour), mapState: "ignored",
		body: with(t, body, "eaf_agent_name", "Agency Late", "eaf_id", "2", "eaf_date", "2026-12-02T23:50:00+01:00")})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 12, Day: 3},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]string{}
	for _, r := range rows(t, openBook(t, path), "Summary") {
		for i, v := range r {
			if strings.HasPrefix(v, "Agency ") && i+1 < len(r) {
				listed[v] = r[i+1]
			}
		}
	}
	for agent, want := range map[string]string{"Agency Old": "6 Sep 2021", "Agency Late": "2 Dec 23:50"} {
		if got := listed[agent]; got != want {
			t.Errorf("the Summary lists %s's import at %q, want %q (listed: %q)", agent, got, want, listed)
		}
	}
}
