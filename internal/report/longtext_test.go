package report_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestMessageLongerThanARowSaysItIsCut: a row is at most 409 points tall
// (32 lines) in Excel, so a message of more lines was cut off where the
// row ended, on screen and in print, with nothing to say so: a manager
// read an enquiry that stopped mid-sentence. Such a text is now cut to
// what the row shows and ends saying how much more there was.
func TestMessageLongerThanARowSaysItIsCut(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	var lines []string
	for i := range 80 {
		lines = append(lines, fmt.Sprintf("line %d", i))
	}
	long := strings.Join(lines, "\n")
	body, err := json.Marshal(map[string]any{"eaf_type": "email_lead", "eaf_id": "L1", "email_source": "rightmove",
		"contact_name": "Long Message", "contact_email": "long@example.com", "contact_message_flat": long,
		"contact_message_html": strings.ReplaceAll(long, "\n", "<br>"), "eaf_reference": "R1"})
	if err != nil {
		t.Fatal(err)
	}
	insertEvent(t, db, event{kind: "eaf", typ: "email_lead", body: body, at: time.Date(2026, 11, 2, 10, 0, 0, 0, loc)})
	short := fixture(t, "eaf/email_lead.json")
	insertEvent(t, db, event{kind: "eaf", typ: "email_lead", body: short, at: time.Date(2026, 11, 2, 11, 0, 0, 0, loc)})
	path, err := report.Make(ctx, report.Day{Year: 2026, Month: 11, Day: 2}, report.Options{Store: db, Dir: t.TempDir(),
		Location: loc, Now: func() time.Time { return time.Date(2026, 11, 3, 6, 0, 0, 0, loc) }})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	r := rows(t, f, report.SheetLeads)
	col := cellIndex(t, r[0], "Message")
	got := r[1][col]
	shown := strings.Split(got, "\n")
	if len(shown) > 32 || !strings.HasPrefix(got, "line 0\nline 1\n") {
		t.Fatalf("the long message shows %d lines (a row shows 32), starting %q", len(shown), got[:min(len(got), 20)])
	}
	last := shown[len(shown)-1]
	if !strings.Contains(last, "more characters") || strings.Contains(got, "line 79") {
		t.Errorf("the cut message does not say it is cut: ends %q", last)
	}
	if h, err := f.GetRowHeight(report.SheetLeads, 2); err != nil || h != 409 {
		t.Errorf("the long message's row is %v points tall (%v), want 409", h, err)
	}
	if want := "This is an enquiry message."; r[2][col] != want {
		t.Errorf("a short message became %q", r[2][col])
	}
}

// cellIndex is the index of the column titled title in header.
func cellIndex(t *testing.T, header []string, title string) int {
	t.Helper()
	for i, h := range header {
		if h == title {
			return i
		}
	}
	t.Fatalf("no column %q in %q", title, header)
	return -1
}
