package report

import (
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestMailCountsAsTheSheetShowsThem: the Summary sheet shows 2009 leads as
// 2,009 (#,##0), and the mail said "2009 leads". The subject, the text
// and the HTML now write every count as the sheet shows it.
func TestMailCountsAsTheSheetShowsThem(t *testing.T) {
	t.Parallel()
	LayoutOnly(t)
	s := newSummary(Day{2026, 6, 2}, time.UTC, time.Date(2026, 6, 3, 6, 0, 0, 0, time.UTC))
	s.leads, s.perSource["Rightmove"], s.perSource["Zoopla"], s.crm[CRMSynced] = 2009, 1500, 509, 2009
	s.dayBefore, s.weekAvg, s.weekDays = 1234, 1234.5, 7
	s.portals["Rightmove"] = &portalStats{submissions: 12345, failed: 1001, listings: 1001, open: 1001}
	s.feedImports, s.recordsModified = 3, 45678
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		t.Fatal(err)
	}
	if err := writeSummary(f, st, s); err != nil {
		t.Fatal(err)
	}
	sheet := map[string]string{}
	r, _ := f.GetRows(SheetSummary)
	for _, row := range r {
		if len(row) > 1 {
			sheet[row[0]] = row[1]
		}
	}
	for label, want := range map[string]string{"All sources": "2,009", "Rightmove": "12,345", "Zoopla": "509"} {
		if sheet[label] != want {
			t.Errorf("the sheet's %s %q, want %q", label, sheet[label], want)
		}
	}
	subject, text, html := s.Subject(), s.Text(), s.HTML()
	for _, c := range []struct{ part, got, want string }{
		{"subject", subject, "2,009 leads · 1,001 listings failing on Rightmove"},
		{"text", text, "Leads: 2,009 (Rightmove 1,500, Zoopla 509); 1,234 the day before, 1,234.5 a day on average"},
		{"text", text, "Rightmove: 12,345 submissions, 1,001 failed"},
		{"text", text, "Feed imports: 3 (45,678 records changed)"},
		{"html", html, "<strong>2,009 leads</strong>"},
		{"html", html, `<td align="right">1,500</td>`},
		{"html", html, `<td align="right">12,345</td>`},
	} {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("the %s lacks %q:\n%s", c.part, c.want, c.got)
		}
	}
}

// TestMailHTMLSaysOneAsOne: the mail's HTML part said "1 leads" of a day
// of one lead and "1 items on the sheet Needs attention" of one dead
// letter (its text said "1 dead operation"), and wrote the CRM's counts
// without their thousands separators ("2009 in the CRM") though every
// other count had them.
func TestMailHTMLSaysOneAsOne(t *testing.T) {
	t.Parallel()
	LayoutOnly(t)
	s := newSummary(Day{2026, 6, 2}, time.UTC, time.Date(2026, 6, 3, 6, 0, 0, 0, time.UTC))
	s.leads, s.perSource["Rightmove"], s.crm[CRMDead] = 1, 1, 1
	s.attention[AttentionDead] = 1
	html := s.HTML()
	for _, want := range []string{"<strong>1 lead</strong>", "1 item on the sheet", "CRM: 1 not sent: dead."} {
		if !strings.Contains(html, want) {
			t.Errorf("the HTML lacks %q:\n%s", want, html)
		}
	}
	s.leads, s.crm[CRMDead], s.crm[CRMSynced] = 2009, 0, 2009
	if html := s.HTML(); !strings.Contains(html, "CRM: 2,009 sent to the CRM.") {
		t.Errorf("the HTML lacks %q:\n%s", "CRM: 2,009 sent to the CRM.", html)
	}
}
