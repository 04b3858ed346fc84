package report_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestPhoneTooLongForTheSummaryKeepsTheLeadsSheet: a day of a lead or two
// lists them on the Summary (TestDayOfOneLeadPrintsOnOnePage), whose Phone
// column was 13 wide: a phone as the sender wrote it, on a lead not in the
// CRM yet, Estate Agent Feeds' "+44(0)20 3870 4550" or "+44 20 7946 0958",
// printed on two lines there, "+44 20 7946" over "0958", which a manager
// dialling from paper reads as two numbers (the Leads sheet shows a phone
// whole up to 20: TestPhonesShowWholeOnLeads). Such a day keeps the Leads
// sheet, which prints the phone on one line; a phone that fits is listed
// on the Summary still. The column is 14 wide now, which holds a London
// number spaced as the report shows phones, "+44 20 7946 0958".
func TestPhoneTooLongForTheSummaryKeepsTheLeadsSheet(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	day := report.Day{Year: 2026, Month: 3, Day: 11}
	for _, c := range []struct {
		phone   string
		listed  bool
		comment string
	}{
		{"+44(0)20 3870 4550", false, "18 characters"},
		{"+44 20 7946 0958", true, "16 characters: one line since the column is 14 (TestSpacedPhoneOfALondonLeadFitsTheSummary)"},
		{"+45 20 30 40 50", true, "15 characters: one line of the Summary's Phone"},
	} {
		db := openDB(t)
		insertEvent(t, db, event{kind: "eaf", typ: "email_lead", at: time.Date(2026, 3, 11, 9, 34, 0, 0, time.UTC), mapState: "pending",
			body: with(t, fixture(t, "eaf/email_lead.json"), "contact_phone", c.phone, "contact_name", "Kim Berg")})
		path, err := report.Make(context.Background(), day, report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"),
			Location: copenhagen(t), Now: func() time.Time { return time.Date(2026, 3, 12, 6, 0, 0, 0, time.UTC) }})
		if err != nil {
			t.Fatal(err)
		}
		f := openBook(t, path)
		onSummary := false
		for _, r := range rows(t, f, "Summary") {
			for _, v := range r {
				onSummary = onSummary || strings.Contains(v, c.phone)
			}
		}
		visible, err := f.GetSheetVisible("Leads")
		if err != nil {
			t.Fatal(err)
		}
		if onSummary != c.listed || visible == c.listed {
			t.Errorf("a lead of phone %q (%s): listed on the Summary %v, the Leads sheet visible %v; want listed %v",
				c.phone, c.comment, onSummary, visible, c.listed)
		}
		if leads := rows(t, f, "Leads"); len(leads) != 2 || leads[1][6] != c.phone {
			t.Errorf("the Leads sheet: %q; want the lead with phone %q", leads, c.phone)
		}
	}
}
