package report_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestLeadsSheetSaysWhichFieldTheCRMRecordLacks: a lead that reached the
// CRM without a field (its email "kim@@x.dk", not an address, left out;
// the contact went by its phone) showed on the Leads sheet as "In
// HubSpot" beside the email, as if the CRM had it: whoever works the
// leads from the sheet read nothing of it, which only the Needs attention
// sheet said. Its CRM cell now says "Sent to HubSpot: field left out" and
// which field and why, as a lead not sent says why; one in the CRM whole
// is "Sent to HubSpot" as before.
func TestLeadsSheetSaysWhichFieldTheCRMRecordLacks(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	morning := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	lb := fixture(t, "lokalebasen/enquiry_created.json")
	note := `rule "lokalebasen-enquiry": contact's email "kim@@x.dk" left out, not an address; the contact goes by its phone`
	lacking := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: morning, mapState: "pending",
		body: with(t, lb, "payload.client.email", "kim@@x.dk")})
	insertOp(t, db, lacking, op{kind: "contact", state: "done", crmID: "1001", at: morning, mapNote: note})
	whole := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: morning.Add(time.Minute), mapState: "pending", body: lb})
	insertOp(t, db, whole, op{kind: "contact", state: "done", crmID: "1002", at: morning.Add(time.Minute)})

	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Dir: t.TempDir(), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	leads := rows(t, openBook(t, path), "Leads")
	if len(leads) != 3 {
		t.Fatalf("Leads: %q; want the two leads", leads)
	}
	wantRow(t, leads[1], "09:00", "Lokalebasen", "extra", "Angela Baker", "", "kim@@x.dk")
	if got, want := leads[1][11], "Sent to HubSpot: field left out\n"+
		`contact's email "kim@@x.dk" left out, not an address; the contact goes by its phone`; got != want {
		t.Errorf("the CRM cell of a lead in HubSpot without its email: %q, want %q", got, want)
	}
	if got := leads[2][11]; got != "Sent to HubSpot" {
		t.Errorf("the CRM cell of a lead in HubSpot whole: %q, want %q", got, "Sent to HubSpot")
	}
}
