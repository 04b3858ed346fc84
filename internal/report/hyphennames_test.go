package report_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestHyphenatedNamesWrapOnlyWhenTheyMust: on the Leads sheet a
// hyphenated surname always wrapped at its hyphen, "Skovgaard-" over
// "Østergaard" (LibreOffice, A4), in a Last name column 10 wide: the
// column's word measure ended a word at each hyphen, where the column
// could be 20 wide for a name's longest word. A hyphenated name up to
// that width now shows whole on one line, its row one line tall; one
// longer still makes its column only as wide as its widest part, as it
// wraps at a hyphen anyway.
func TestHyphenatedNamesWrapOnlyWhenTheyMust(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	make := func(t *testing.T, name string) (lastWidth, rowHeight float64) {
		db := openDB(t)
		insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC),
			body: with(t, fixture(t, "lokalebasen/enquiry_created.json"), "payload.client.name", name,
				"payload.comment", "Hej")})
		path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
			report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC, SplitName: mapping.SplitName})
		if err != nil {
			t.Fatal(err)
		}
		f := openBook(t, path)
		if r := rows(t, f, "Leads"); len(r) != 2 || r[0][4] != "Last name" {
			t.Fatalf("the Leads sheet: %q", r)
		}
		if lastWidth, err = f.GetColWidth("Leads", "E"); err != nil {
			t.Fatal(err)
		}
		if rowHeight, err = f.GetRowHeight("Leads", 2); err != nil {
			t.Fatal(err)
		}
		return lastWidth, rowHeight
	}
	// "Skovgaard-Østergaard" is some 18.6 digits of Carlito: 19 wide
	// shows it (LibreOffice, A4), where 10 showed "Skovgaard-" alone.
	if w, h := make(t, "Mette Skovgaard-Østergaard"); w < 19 || h > 12.75 {
		t.Errorf("Skovgaard-Østergaard: Last name %v wide, its row %v points tall; want 19 or more, one line (12.75)", w, h)
	}
	// Too long for 20: it wraps at a hyphen, in a column as wide as
	// "Christoffersen", its widest part (13), not 20.
	if w, _ := make(t, "Mette Skovgaard-Østergaard-Christoffersen"); w < 13 || w > 14 {
		t.Errorf("Skovgaard-Østergaard-Christoffersen: Last name %v wide, want 13, its widest part's", w)
	}
}
