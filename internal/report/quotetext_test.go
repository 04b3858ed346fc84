package report_test

import (
	"context"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestSendersFormulaLikeTextStaysText: a client's text that starts as a
// formula does ("@Kim", "+44 20 7946 0958", "- 3 rooms", "=2+3") showed
// as text, but the cell was not marked so: F2 and Enter in Excel (or an
// edit in LibreOffice) read it as a formula, an error or a number. Its
// cell is marked quotePrefix, as Excel marks a text typed '=2+3, and in
// the format Text (@), which LibreOffice and Google Sheets keep too, on
// the Leads sheet and in the Summary's list of a day's few leads; the
// other cells are neither.
func TestSendersFormulaLikeTextStaysText(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	db := openDB(t)
	when := time.Date(2026, 11, 25, 9, 0, 0, 0, loc)
	body := with(t, fixture(t, "eaf/email_lead.json"), "contact_name", "@Kim", "contact_email", "kim@example.com", "contact_phone", "+44 20 7946 0958",
		"contact_message_html", "", "contact_message_flat", "- 3 rooms\n=2+3 desks")
	insertEvent(t, db, event{kind: "eaf", typ: "email_lead", body: body, at: when})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 11, Day: 25}, report.Options{
		Store: db, Dir: t.TempDir(), Location: loc,
		Now: func() time.Time { return time.Date(2026, 11, 26, 6, 0, 0, 0, loc) }})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	quoted := func(sheet, cell string) bool {
		t.Helper()
		id, err := f.GetCellStyle(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.GetStyle(id); err != nil { // reads the styles in
			t.Fatal(err)
		}
		xf := f.Styles.CellXfs.Xf[id]
		q := xf.QuotePrefix != nil && *xf.QuotePrefix
		if text := xf.NumFmtID != nil && *xf.NumFmtID == 49; q != text {
			t.Errorf("%s!%s is marked quotePrefix %v but in the format Text (@) %v: want both or neither", sheet, cell, q, text)
		}
		return q
	}
	found := map[string]bool{}
	for _, sheet := range []string{report.SheetLeads, report.SheetSummary} {
		for i, row := range rows(t, f, sheet) {
			for j, v := range row {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				switch v {
				case "@Kim", "+44 20 7946 0958", "- 3 rooms\n=2+3 desks":
					found[sheet+" "+v] = true
					if !quoted(sheet, cell) {
						t.Errorf("%s!%s %q is not marked to stay text (quotePrefix)", sheet, cell, v)
					}
				case "kim@example.com", "Rightmove":
					if quoted(sheet, cell) {
						t.Errorf("%s!%s %q is marked quotePrefix, want it as it was", sheet, cell, v)
					}
				}
			}
		}
	}
	if len(found) != 6 {
		t.Errorf("found %v, want the name, the phone and the message on both sheets", found)
	}
}
