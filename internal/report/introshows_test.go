package report_test

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestAttentionIntroShowsWhole: the Needs attention sheet's introduction,
// two lines across its columns, was given a row of two lines whatever the
// columns' width; on a day of short reasons the columns were narrow, its
// first line wrapped in two, and its last line printed cut off under the
// header ("the Leads sheet names the portal or sender" and no more). The
// row is now as tall as the introduction wraps to across the columns.
func TestAttentionIntroShowsWhole(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	at := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	id := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: at, body: fixture(t, "lokalebasen/enquiry_created.json")})
	insertOp(t, db, id, op{kind: "contact", state: "dead", at: at.Add(time.Minute), lastError: "crm 429: daily limit reached"})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	r := rows(t, f, "Needs attention")
	if len(r) < 3 || !strings.HasPrefix(r[0][0], "For whoever runs syncd") || r[1][0] != "Time" {
		t.Fatalf("Needs attention: %q", r)
	}
	width := 0.0
	for i := range r[1] {
		col := string(rune('A' + i))
		w, err := f.GetColWidth("Needs attention", col)
		if err != nil {
			t.Fatal(err)
		}
		width += w
	}
	lines := 0.0
	for line := range strings.SplitSeq(r[0][0], "\n") {
		lines += math.Ceil(report.FitWidth(line) * 1.05 / width) // in bold, a twentieth wider
	}
	ht, err := f.GetRowHeight("Needs attention", 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := 22 + (lines-1)*12.75; ht < want {
		t.Errorf("the introduction's row is %v points tall: it wraps to %v lines across columns %v wide, which need %v", ht, lines, width, want)
	}
}
