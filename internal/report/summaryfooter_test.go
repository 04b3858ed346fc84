package report_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestSummaryPageIsNumberedWithTheOthers: the workbook printed whole (a
// day of a lead, a failed portal submission and a quarantined delivery:
// four pages) numbered its pages "Page 2 of 4" to "Page 4 of 4" in their
// footers, and the Summary, one page, had no footer at all: the first
// page of the stack unnumbered, nor naming its sheet and zone, as if a
// page were missing. The Summary's page has the footer the others have,
// its page number among them.
func TestSummaryPageIsNumberedWithTheOthers(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	db := openDB(t)
	morning := time.Date(2026, 12, 3, 9, 0, 0, 0, loc)
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"),
		at: morning, mapState: "pending"})
	insertEvent(t, db, event{kind: "eaf", typ: "portal_submission", body: fixture(t, "eaf/portal_submission_error.json"), at: morning})
	insertQuarantine(t, db, morning.Add(time.Hour), "invalid JSON at byte 13")
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 12, Day: 3},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	hf, err := f.GetHeaderFooter(report.SheetSummary)
	if err != nil {
		t.Fatal(err)
	}
	if hf == nil {
		t.Fatal("the Summary has no footer: its printed page is the only one unnumbered")
	}
	for _, want := range []string{"&A", "Thursday 3 December 2026 · times Europe/Copenhagen", "Page &P of &N"} {
		if !strings.Contains(hf.OddFooter, want) {
			t.Errorf("the Summary's footer %q lacks %q", hf.OddFooter, want)
		}
	}
	// Still one page tall, as before.
	if pl, err := f.GetPageLayout(report.SheetSummary); err != nil || pl.FitToHeight == nil || *pl.FitToHeight != 1 {
		t.Errorf("the Summary's page layout: %+v, %v; want it fitted one page tall", pl, err)
	}
}
