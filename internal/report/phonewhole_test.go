package report_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestPhonesShowWholeOnLeads: a lead not in the CRM (waiting to be sent,
// incomplete, dead) shows its phone as the sender wrote it, and Estate
// Agent Feeds writes a British one "+44(0)20 3870 4550", 18 characters:
// in a Phone column at most 14 wide it printed on two lines, "+44(0)20
// 3870" over "4550", which a manager dialling from paper reads as two
// numbers, and every such row took two lines (a busy day of 1,080 leads
// printed the Leads sheet on 52 pages). A phone shows whole, on one line,
// up to 20 characters, the message giving up the width while the page has
// room, and the sheet still prints one page wide at 80% or more.
func TestPhonesShowWholeOnLeads(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	lead := fixture(t, "eaf/email_lead.json")
	db := openDB(t)
	day := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	phones := []string{"+44(0)20 3870 4550", "+45 33 12 34 56", "+44 7700 900 123"}
	for i, p := range phones {
		insertEvent(t, db, event{kind: "eaf", typ: "email_lead", at: day.Add(time.Duration(9*60+i) * time.Minute), mapState: "pending",
			body: with(t, lead, "eaf_id", fmt.Sprint(i), "contact_phone", p, "contact_name", "Kim Berg")})
	}
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	r := rows(t, f, "Leads")
	if len(r) < 2 || r[0][6] != "Phone" {
		t.Fatalf("the Leads sheet's header: %q", r)
	}
	w, err := f.GetColWidth("Leads", "G")
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range r[1:] {
		if row[6] != phones[i] {
			t.Errorf("lead %d's phone %q, want %q as sent", i+1, row[6], phones[i])
		}
		if need := report.FitWidth(row[6]); w < need {
			t.Errorf("the phone %q needs %v of its column's %v: it prints on two lines", row[6], need, w)
		}
		if ht, _ := f.GetRowHeight("Leads", i+2); ht >= 2*12.75 {
			t.Errorf("lead %d's row is %v points tall, two lines or more: want one", i+1, ht)
		}
	}
	if px := printedPixels(t, f, "Leads", 'L'); px > printWidth/0.8 {
		t.Errorf("the Leads sheet's printed columns take %v pixels, more than prints at 80%%, %.0f", px, printWidth/0.8)
	}
}
