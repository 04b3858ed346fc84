package report_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestOrdinaryDayTimesNameNoZone: on a day the clocks do not change a
// lead's time is hh:mm alone, in a column as narrow as before.
func TestOrdinaryDayTimesNameNoZone(t *testing.T) {
	loc := copenhagen(t)
	db := openDB(t)
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"),
		at: time.Date(2026, 10, 24, 2, 30, 0, 0, loc), mapState: "pending"})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 10, Day: 24},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	if got := rows(t, f, "Leads")[1][0]; got != "02:30" {
		t.Errorf("time %q, want 02:30", got)
	}
	if w, err := f.GetColWidth("Leads", "A"); err != nil || w != 6 {
		t.Errorf("time column %v wide (%v), want 6", w, err)
	}
}
