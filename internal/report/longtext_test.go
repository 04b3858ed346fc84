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

// TestCutMessageIsWholeInAColumnOfItsOwn: a message too long for its row
// was cut in its cell, and the rest was nowhere in the workbook: a manager
// who searched the sheet for what the client wrote further down found
// nothing, and one who copied the message into a reply sent half of it.
// The cut cell now says where the whole message is, the column Whole
// message beside the lead's links, which does not print; a message that
// shows whole is not written there again.
func TestCutMessageIsWholeInAColumnOfItsOwn(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	db := openDB(t)
	var lines []string
	for i := range 80 {
		lines = append(lines, fmt.Sprintf("Point %d: room for a team of %d with a meeting room.", i, i+2))
	}
	lines = append(lines, "Can we see it on Thursday? Is parking included?")
	long := strings.Join(lines, "\n")
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: time.Date(2026, 11, 2, 10, 0, 0, 0, loc),
		body: with(t, fixture(t, "lokalebasen/enquiry_created.json"), "payload.comment", long)})
	insertEvent(t, db, event{kind: "eaf", typ: "email_lead", body: fixture(t, "eaf/email_lead.json"),
		at: time.Date(2026, 11, 2, 11, 0, 0, 0, loc)})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 11, Day: 2}, report.Options{Store: db,
		Dir: t.TempDir(), Location: loc, Now: func() time.Time { return time.Date(2026, 11, 3, 6, 0, 0, 0, loc) }})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	r := rows(t, f, report.SheetLeads)
	msg, whole := cellIndex(t, r[0], "Message"), cellIndex(t, r[0], "Whole message")
	if cut := r[1][msg]; !strings.HasSuffix(cut, " more characters: too long for a row; the whole message is in the column Whole message]") ||
		strings.Contains(cut, "parking") {
		t.Errorf("the cut message ends %q: want it cut, saying where the whole message is", cut[max(0, len(cut)-100):])
	}
	if got := r[1][whole]; got != long {
		t.Errorf("Whole message of the cut message is %d characters, ending %q; want the whole %d",
			len(got), got[max(0, len(got)-50):], len(long))
	}
	if len(r[2]) > whole && r[2][whole] != "" {
		t.Errorf("a message shown whole is written again under Whole message: %q", r[2][whole])
	}
	if found, err := f.SearchSheet(report.SheetLeads, "Is parking included", true); err != nil || len(found) != 1 {
		t.Errorf("searching the Leads sheet for the message's last line found %q (%v); want its cell", found, err)
	}
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Area" && d.Scope == report.SheetLeads && d.RefersTo != "'Leads'!$A:$L" {
			t.Errorf("the Leads sheet prints %s; want A to L, the whole message not printed twice", d.RefersTo)
		}
	}
	if h, err := f.GetRowHeight(report.SheetLeads, 2); err != nil || h != 409 {
		t.Errorf("the long message's row is %v points tall (%v), want 409", h, err)
	}
}
