package report_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestPrintedPagesSayTheirTimeZone: the detail sheets' printed pages give
// times as hh:mm (09:00, or with their date for another day's), and only
// the Summary's page said in which zone ("Times are Europe/Copenhagen"):
// a Leads or Portal failures page handed on by itself, to a colleague in
// another country, say, left the reader to guess. Their footer now names
// the zone beside the day, as the Summary's heading does.
func TestPrintedPagesSayTheirTimeZone(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	db := openDB(t)
	morning := time.Date(2026, 6, 2, 9, 0, 0, 0, loc)
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"),
		at: morning, mapState: "pending"})
	insertEvent(t, db, event{kind: "eaf", typ: "portal_submission", body: fixture(t, "eaf/portal_submission_error.json"), at: morning})
	insertQuarantine(t, db, morning.Add(time.Hour), "invalid JSON at byte 13")
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	for _, sheet := range []string{"Leads", "Portal failures", "Needs attention"} {
		hf, err := f.GetHeaderFooter(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if want := "Tuesday 2 June 2026 · times Europe/Copenhagen"; !strings.Contains(hf.OddFooter, want) {
			t.Errorf("%s's footer %q lacks %q", sheet, hf.OddFooter, want)
		}
	}
}
