package report_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestSummaryFeedTimeOfTheRepeatedHourSaysItsZone: the Summary lists a
// day's few feed imports, one of another day with its date in a short
// form ("25 Oct 02:30"). Of the night the clocks went back in Copenhagen,
// 02:30 CEST and the 02:30 CET an hour later both read "25 Oct 02:30",
// while the Feed imports sheet and the Leads sheet name the zone of such
// a time. The Summary names it too ("25 Oct 02:30 CEST"), in a cell that
// shows it whole in its column; a time that reads one way stays as it was.
func TestSummaryFeedTimeOfTheRepeatedHourSaysItsZone(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	db := openDB(t)
	day := time.Date(2026, 10, 26, 9, 0, 0, 0, loc)
	want := map[string]string{}
	for i, at := range []time.Time{
		time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), // 02:30 CEST
		time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), // 02:30 CET
		time.Date(2026, 10, 25, 9, 0, 0, 0, time.UTC),  // 10:00 CET
	} {
		agent := "Agency " + string(rune('A'+i))
		insertEvent(t, db, event{kind: "eaf", typ: "feed_import", at: day.Add(time.Duration(i) * time.Minute), mapState: "ignored",
			body: with(t, fixture(t, "eaf/feed_import.json"), "eaf_agent_name", agent, "eaf_id", agent, "eaf_date", at.Format(time.RFC3339))})
		want[agent] = []string{"25 Oct 02:30 CEST", "25 Oct 02:30 CET", "25 Oct 10:00"}[i]
	}
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 10, Day: 26},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	got, cells := map[string]string{}, map[string]string{}
	for i, r := range rows(t, f, report.SheetSummary) {
		for j, v := range r {
			if strings.HasPrefix(v, "Agency ") && j+1 < len(r) {
				got[v] = r[j+1]
				cells[v], _ = excelize.CoordinatesToCellName(j+2, i+1)
			}
		}
	}
	for agent, w := range want {
		if got[agent] != w {
			t.Errorf("the Summary lists %s's import at %q, want %q", agent, got[agent], w)
		}
	}
	// Shown whole: a date-time wider than its column shows as ###.
	cell := cells["Agency A"]
	col := strings.TrimRight(cell, "0123456789")
	width, err := f.GetColWidth(report.SheetSummary, col)
	if err != nil {
		t.Fatal(err)
	}
	id, err := f.GetCellStyle(report.SheetSummary, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if width < 15 && (st.Alignment == nil || !st.Alignment.ShrinkToFit) {
		t.Errorf("the Summary's %s, %q, is %v wide and does not shrink to fit: it would show as ###", cell, got["Agency A"], width)
	}
}
