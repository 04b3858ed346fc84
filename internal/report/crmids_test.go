package report_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestCRMIdsWithoutALinkAreNumbers: with no CRM web address configured,
// the Leads sheet's Contact and Deal show the CRM's ids. They were text,
// which Excel marks on every row as "number stored as text" (a green
// triangle) and a lookup against a CRM export, whose ids are numbers,
// does not find. An id of digits alone is a number shown whole (not
// 1.23457E+11); one a number would not hold exactly (a leading zero, 16
// digits) or with letters stays text.
func TestCRMIdsWithoutALinkAreNumbers(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	db := openDB(t)
	ids := [][2]string{{"202", "123456789012"}, {"0042", "1234567890123456"}, {"c-7", "d7"}}
	for i, id := range ids {
		when := time.Date(2026, 11, 25, 9+i, 0, 0, 0, loc)
		body := with(t, fixture(t, "eaf/email_lead.json"), "contact_email", fmt.Sprintf("lead%d@example.com", i))
		ev := insertEvent(t, db, event{kind: "eaf", typ: "email_lead", body: body, at: when})
		insertOp(t, db, ev, op{kind: "contact", state: "done", crmID: id[0], at: when})
		insertOp(t, db, ev, op{kind: "deal", state: "done", crmID: id[1], at: when})
	}
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 11, Day: 25}, report.Options{
		Store: db, Dir: t.TempDir(), Location: loc, CRM: "hubspot",
		Now: func() time.Time { return time.Date(2026, 11, 26, 6, 0, 0, 0, loc) }})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	r := rows(t, f, report.SheetLeads)
	contact, deal := cellIndex(t, r[0], "Contact"), cellIndex(t, r[0], "Deal")
	for i, id := range ids {
		for j, c := range []int{contact, deal} {
			cell, _ := excelize.CoordinatesToCellName(c+1, i+2)
			typ, err := f.GetCellType(report.SheetLeads, cell)
			if err != nil {
				t.Fatal(err)
			}
			number := i == 0
			if got := typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber; got != number {
				t.Errorf("Leads!%s %q is a number: %v, want %v", cell, id[j], got, number)
			}
			if r[i+1][c] != id[j] {
				t.Errorf("Leads!%s shows %q, want %q whole", cell, r[i+1][c], id[j])
			}
		}
	}
}
