package report_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestPrintedPagesNameTheirDay: the detail sheets' pages carry, in their
// footer, the sheet's name, the page number and the report's day, so that
// the printed pages of two days' reports, a Leads page whose times are
// hh:mm alone, say, still tell which day they are of. The footer named
// the sheet and the page alone.
func TestPrintedPagesNameTheirDay(t *testing.T) {
	db := openDB(t)
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"),
		at: time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC), mapState: "pending"})
	insertQuarantine(t, db, time.Date(2026, 6, 2, 10, 0, 0, 0, time.UTC), "invalid JSON at byte 13")
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	for _, sheet := range []string{"Leads", "Needs attention"} {
		hf, err := f.GetHeaderFooter(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"&A", "Tuesday 2 June 2026", "Page &P of &N"} {
			if !strings.Contains(hf.OddFooter, want) {
				t.Errorf("%s's footer %q lacks %q", sheet, hf.OddFooter, want)
			}
		}
	}
}
