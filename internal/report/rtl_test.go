package report_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestRightToLeftTextKeepsApartFromTheColumnBeside: a lead in Arabic or
// Hebrew (its name, company and message) printed, in LibreOffice as in
// Excel, aligned to the right of its cells, the text cells being left to
// align by the reading order of what they hold: on the Leads sheet the
// Hebrew message ran into the CRM column ("... האם Not for the CRM"), and
// on the Summary's list of a day's few leads the Arabic name and company
// into the time beside them ("... العقارات09:00"), read as one. Every text
// cell is now aligned left, as the column titles above it: right-to-left
// text still reads right to left within its lines, with its column's slack
// between it and the next.
func TestRightToLeftTextKeepsApartFromTheColumnBeside(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	for _, c := range []struct {
		name, company, message string
	}{
		{"محمد عبد الرحمن", "شركة العقارات المتحدة", "مرحبا، أود حجز موعد لمشاهدة المكتب يوم الثلاثاء القادم. هل المكان متاح؟"},
		{"דוד כהן", "חברת נדל\"ן בע\"מ", "שלום, אני מעוניין במשרד של 200 מ\"ר. האם אפשר לתאם ביקור?"},
	} {
		db := openDB(t)
		body := with(t, fixture(t, "lokalebasen/enquiry_created.json"), "payload.client.name", c.name,
			"payload.client.company", c.company, "payload.comment", c.message)
		insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: body, at: time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)})
		path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
			report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		f := openBook(t, path)
		for _, sheet := range []string{"Summary", "Leads"} {
			n := 0
			for i, r := range rows(t, f, sheet) {
				for j, v := range r {
					if !strings.Contains(v, c.message) && !strings.Contains(v, c.company) && !strings.Contains(v, strings.Fields(c.name)[0]) {
						continue
					}
					n++
					cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
					if st := cellStyle(t, f, sheet, cell); st.Alignment == nil || st.Alignment.Horizontal != "left" {
						t.Errorf("%s!%s %q aligned %+v: right-to-left text, left to its reading order, aligns right, against the column beside it; want left", sheet, cell, v, st.Alignment)
					}
				}
			}
			if n == 0 {
				t.Errorf("%s does not show the lead %q", sheet, c.name)
			}
		}
	}
}

// TestHighlightedCountsStayRight: aligning text left
// (TestRightToLeftTextKeepsApartFromTheColumnBeside) took the red, yellow
// and green highlights with it, and the Summary's Portal health printed
// its Still failing count at the left of its red cell, against the
// Listings failed count beside it ("5 4"). A count stays right, as the
// other figures.
func TestHighlightedCountsStayRight(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	submission(t, db, time.UTC, time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC), "rightmove", "100", "error", "ERR_MISSING_PRICE")
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	all := rows(t, f, "Summary")
	for i, r := range all {
		if len(r) == 0 || r[0] != "Portal health" || i+1 >= len(all) {
			continue
		}
		col := slices.Index(r, "Still failing")
		if col < 0 || col >= len(all[i+1]) || all[i+1][col] != "1" {
			t.Fatalf("Portal health %q over %q: want Still failing 1", r, all[i+1])
		}
		cell, _ := excelize.CoordinatesToCellName(col+1, i+2)
		if st := cellStyle(t, f, "Summary", cell); st.Alignment != nil && st.Alignment.Horizontal != "" && st.Alignment.Horizontal != "right" {
			t.Errorf("Summary!%s, Still failing 1, aligned %q: want right, as a count", cell, st.Alignment.Horizontal)
		}
		return
	}
	t.Fatal("no Portal health table on the Summary")
}
