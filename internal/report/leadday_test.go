package report_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestDeadOperationOfAnEarlierLeadSaysItsDay: an operation dead-lettered
// the day after its lead (received late in the evening, the CRM refusing
// it the next morning) is listed under Needs attention; its lead is on the
// Leads sheet of the day before. The Lead cell was a formula that, not
// finding the lead on this workbook's Leads sheet, showed "lead 1 (another
// day)" in a row sized for "lead 1": printed, "day)" fell out of the row.
// It says the day the lead came, as text sized with its row, and links to
// nothing on a sheet that does not hold it. The day is on a line of its
// own: wrapped in the narrow column, it printed split, "lead 7 (1" over
// "Jun)".
func TestDeadOperationOfAnEarlierLeadSaysItsDay(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	lead := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"),
		at: time.Date(2026, 6, 1, 23, 50, 0, 0, time.UTC)})
	insertOp(t, db, lead, op{kind: "contact", state: "dead", lastError: "crm 400 INVALID_EMAIL",
		at: time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)})
	today := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"),
		at: time.Date(2026, 6, 2, 9, 30, 0, 0, time.UTC)})
	insertOp(t, db, today, op{kind: "contact", state: "dead", lastError: "crm 400 INVALID_EMAIL",
		at: time.Date(2026, 6, 2, 10, 0, 0, 0, time.UTC)})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	att := rows(t, f, "Needs attention")
	if len(att) != 4 || att[2][1] != "dead" || att[3][1] != "dead" {
		t.Fatalf("Needs attention: %q; want the two dead operations", att)
	}
	if got, want := att[2][6], fmt.Sprintf("lead %d\n(1 Jun)", lead); got != want {
		t.Errorf("the earlier lead's cell shows %q, want %q", got, want)
	}
	wantFormula(t, f, "Needs attention", "G3", "")
	// The day's own lead links to its row on the Leads sheet, with the time
	// it prints (TestAttentionNamesTheLeadAsPrinted).
	if got, want := att[3][6], fmt.Sprintf("lead %d\n(09:30)", today); got != want {
		t.Errorf("the day's lead's cell shows %q, want %q", got, want)
	}
	wantFormula(t, f, "Needs attention", "G4", fmt.Sprintf(`IFERROR(HYPERLINK("#'Leads'!A"&MATCH(%d,'Leads'!$M:$M,0),"lead %d"&CHAR(10)&"(09:30)"),"lead %d (another day)")`,
		today, today, today))
	// A column as wide as the text's characters holds it on one line (10
	// points of Calibri in widths of 11-point digits); narrower, it wraps.
	w, _ := f.GetColWidth("Needs attention", "G")
	if h, _ := f.GetRowHeight("Needs attention", 3); w < float64(len(att[2][6])) && h < 2*12.75 {
		t.Errorf("%q in a column %v wide, in a row of one line (%v points)", att[2][6], w, h)
	}
}

// TestLeadNumbersOfABusyYearOnOneLine: Needs attention's Lead column was 9
// wide at most, so once an installation had stored 100,000 events a lead's
// link printed as "lead" over its number, in rows twice as tall. It holds
// "lead" and 7 digits on one line (as the Leads sheet holds 7 digits and
// more: TestLargeLeadNumbersShowWhole).
func TestLeadNumbersOfABusyYearOnOneLine(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	id := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"),
		at: time.Date(2026, 6, 2, 9, 30, 0, 0, time.UTC)})
	raw, err := sql.Open("sqlite3", "file:"+db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE events SET id = 1234567 WHERE id = ?`, id); err != nil { // a busy agency's year
		t.Fatal(err)
	}
	insertOp(t, db, 1234567, op{kind: "contact", state: "dead", lastError: "crm 400 INVALID_EMAIL",
		at: time.Date(2026, 6, 2, 10, 0, 0, 0, time.UTC)})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	att := rows(t, f, "Needs attention")
	if len(att) != 3 || att[2][6] != "lead 1234567\n(09:30)" { // the time the Leads sheet prints on its line
		t.Fatalf("Needs attention: %q; want the dead operation of lead 1234567", att)
	}
	if w, _ := f.GetColWidth("Needs attention", "G"); w < float64(len("lead 1234567")) {
		t.Errorf("%q in a column %v wide: it prints on two lines", att[2][6], w)
	}
}

// TestAttentionNamesTheLeadAsPrinted: a row of Needs attention named its
// lead of the day as "lead 24", a link to its row on the Leads sheet, which
// works on screen only: the Leads sheet does not print its leads' numbers,
// so on paper a dead operation's lead (dead at 10:00, received at 09:30)
// could not be found among the day's leads. The cell now says the time the
// Leads sheet prints for it, on a line of its own: "lead 24" over
// "(09:30)", still a link.
func TestAttentionNamesTheLeadAsPrinted(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	lead := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"),
		at: time.Date(2026, 6, 2, 9, 30, 0, 0, time.UTC)})
	insertOp(t, db, lead, op{kind: "contact", state: "dead", lastError: "crm 400 INVALID_EMAIL",
		at: time.Date(2026, 6, 2, 10, 0, 0, 0, time.UTC)})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	att := rows(t, f, "Needs attention")
	if len(att) != 3 || att[2][1] != "dead" {
		t.Fatalf("Needs attention: %q; want the dead operation", att)
	}
	leads := rows(t, f, "Leads")
	if len(leads) != 2 || leads[1][0] != "09:30" {
		t.Fatalf("Leads: %q; want the lead at 09:30", leads)
	}
	if got, want := att[2][6], fmt.Sprintf("lead %d\n(09:30)", lead); got != want {
		t.Errorf("the lead's cell shows %q, want %q: the Leads sheet prints its time, not its number", got, want)
	}
	wantFormula(t, f, "Needs attention", "G3", fmt.Sprintf(`IFERROR(HYPERLINK("#'Leads'!A"&MATCH(%d,'Leads'!$M:$M,0),"lead %d"&CHAR(10)&"(09:30)"),"lead %d (another day)")`,
		lead, lead, lead))
	if h, _ := f.GetRowHeight("Needs attention", 3); h < 2*12.75 {
		t.Errorf("the row is %v points tall: the lead's time on its line falls out of it", h)
	}
}
