package report_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestPagesOfADayNotOverSayUntilWhen: a report of today made by hand at
// 10:00 printed its Leads pages with the footer of a whole day's, "Leads
// · Tuesday 2 June 2026 · times UTC, Page 2 of 2": a manager holding the
// pages without the Summary's took the morning's leads for the day's.
// Each page's footer says until when the day is counted; a report made
// once the day is over says nothing of it.
func TestPagesOfADayNotOverSayUntilWhen(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"),
		at: time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC), mapState: "pending"})
	insertQuarantine(t, db, time.Date(2026, 6, 2, 9, 30, 0, 0, time.UTC), "invalid JSON at byte 13")
	footers := func(h int) map[string]string {
		now := time.Date(2026, 6, 2, h, 0, 0, 0, time.UTC)
		path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
			report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC,
				Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		f := openBook(t, path)
		got := map[string]string{}
		for _, sheet := range []string{report.SheetSummary, report.SheetLeads, report.SheetAttention} {
			hf, err := f.GetHeaderFooter(sheet)
			if err != nil || hf == nil {
				t.Fatalf("%s's footer: %v, %v", sheet, hf, err)
			}
			got[sheet] = hf.OddFooter
		}
		return got
	}
	for sheet, footer := range footers(10) {
		if want := "Tuesday 2 June 2026 until 10:00 UTC · times UTC"; !strings.Contains(footer, want) {
			t.Errorf("%s's footer, made at 10:00 of the day: %q, want it to say %q", sheet, footer, want)
		}
	}
	for sheet, footer := range footers(30) { // 06:00 the day after
		if want := "Tuesday 2 June 2026 · times UTC"; !strings.Contains(footer, want) || strings.Contains(footer, "until") {
			t.Errorf("%s's footer, made after the day: %q, want it to say %q alone", sheet, footer, want)
		}
	}
}
