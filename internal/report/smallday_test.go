package report_test

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestDayOfOneLeadPrintsOnOnePage: a day of one lead printed on two pages,
// the Summary's and one of the Leads sheet's holding a line: each visible
// sheet prints from a page of its own. The Summary lists a day's few
// leads itself (the name and company, time, source, email, phone, CRM,
// property and message), under its tables and charts, on its one page at
// 80% or more; the Leads sheet, which holds them still, is hidden and
// has no print area (LibreOffice prints a hidden sheet's print area).
// Four leads, or a lead Needs attention links to, keep the Leads sheet.
func TestDayOfOneLeadPrintsOnOnePage(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	day := report.Day{Year: 2026, Month: 3, Day: 11}
	build := func(t *testing.T, leads int, dead bool) string {
		t.Helper()
		db := openDB(t)
		for i := range leads {
			id := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"),
				at: time.Date(2026, 3, 11, 9+i, 34, 0, 0, time.UTC)})
			if dead {
				insertOp(t, db, id, op{kind: "contact", state: "dead", lastError: "crm 400 INVALID_EMAIL",
					at: time.Date(2026, 3, 11, 12, 0, 0, 0, time.UTC)})
			}
		}
		path, err := report.Make(context.Background(), day, report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"),
			Location: copenhagen(t), Now: func() time.Time { return time.Date(2026, 3, 12, 6, 0, 0, 0, time.UTC) }})
		if err != nil {
			t.Fatal(err)
		}
		return path
	}

	path := build(t, 1, false)
	f := openBook(t, path)
	if visible, err := f.GetSheetVisible("Leads"); err != nil || visible {
		t.Errorf("the Leads sheet of a day of one lead is visible (%v): it prints a page of its own", err)
	}
	for _, d := range f.GetDefinedName() {
		if d.Scope == "Leads" && d.Name == "_xlnm.Print_Area" {
			t.Errorf("the hidden Leads sheet keeps its print area %s: LibreOffice prints it", d.RefersTo)
		}
	}
	leads := rows(t, f, "Leads")
	if len(leads) != 2 {
		t.Fatalf("the Leads sheet holds %d rows, want its header and the lead", len(leads))
	}
	var summary []string
	for _, r := range rows(t, f, "Summary") {
		summary = append(summary, strings.Join(r, " | "))
	}
	text := strings.Join(summary, "\n")
	lead := leads[1]
	for _, want := range []string{"Lead | Time | Source", "10:34", lead[5], lead[6], lead[8], strings.Split(lead[10], "\n")[0], lead[11]} {
		if want == "" || !strings.Contains(text, want) {
			t.Errorf("the Summary of a day of one lead does not list %q of it:\n%s", want, text)
		}
	}
	if scale, pages := summaryScale(t, f, path); pages != 1 || scale < 0.8 {
		t.Errorf("the Summary listing the lead prints on %d page(s) at %.0f%%, want one at 80%% or more", pages, 100*scale)
	}
	if last := summaryPrintedRows(t, f); !strings.Contains(strings.Join(summary[:min(last, len(summary))], "\n"), lead[5]) {
		t.Errorf("the lead listed on the Summary is outside its print area (rows 1 to %d)", last)
	}

	for _, c := range []struct {
		what  string
		leads int
		dead  bool
	}{{"four leads", 4, false}, {"a lead whose operation died", 1, true}} {
		f := openBook(t, build(t, c.leads, c.dead))
		if visible, err := f.GetSheetVisible("Leads"); err != nil || !visible {
			t.Errorf("the Leads sheet of a day of %s is hidden (%v)", c.what, err)
		}
		for _, r := range rows(t, f, "Summary") {
			if len(r) > 2 && r[0] == "Lead" && r[1] == "Time" {
				t.Errorf("the Summary of a day of %s lists the leads too", c.what)
			}
		}
	}
}

// summaryPrintedRows is the last row of the Summary's print area.
func summaryPrintedRows(t *testing.T, f *excelize.File) int {
	t.Helper()
	for _, d := range f.GetDefinedName() {
		if d.Scope == "Summary" && d.Name == "_xlnm.Print_Area" {
			n, err := strconv.Atoi(d.RefersTo[strings.LastIndex(d.RefersTo, "$")+1:])
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("the Summary has no print area")
	return 0
}
