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

// TestSummarysFeedListPrintsNoOpenFeed: the Summary's list of a day's
// few feed imports had a column Feed whose every cell said "Open feed", a
// link on screen and, on the printed page, words that open nothing and
// say nothing of the feed. The agent's name, which the line prints
// anyway, now links to its feed, and the column is gone.
func TestSummarysFeedListPrintsNoOpenFeed(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	db := openDB(t)
	at := time.Date(2026, 6, 2, 9, 30, 0, 0, loc)
	insertEvent(t, db, event{kind: "eaf", typ: "feed_import", at: at, mapState: "ignored",
		body: with(t, fixture(t, "eaf/feed_import.json"), "eaf_agent_name", "Hansen Ejendomme",
			"eaf_source", "https://feeds.example.com/hansen.xml", "eaf_date", at.Format(time.RFC3339))})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	agent := ""
	for i, r := range rows(t, f, report.SheetSummary) {
		for j, c := range r {
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case strings.Contains(c, "Open feed"):
				t.Errorf("the Summary's cell %s says %q", cell, c)
			case c == "Feed" && j >= 8 && j <= 12:
				t.Errorf("the Summary's feed list has a column Feed, at %s", cell)
			case c == "Hansen Ejendomme":
				agent = cell
			}
		}
	}
	if agent == "" {
		t.Fatalf("the Summary does not list the feed import's agent: %q", rows(t, f, report.SheetSummary))
	}
	if ok, target, err := f.GetCellHyperLink(report.SheetSummary, agent); !ok || err != nil || target != "https://feeds.example.com/hansen.xml" {
		t.Errorf("the agent's name, %s, links to %q (%v, %v); want its feed", agent, target, ok, err)
	}
}
