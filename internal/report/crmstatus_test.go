package report_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestLeadsFilterByCRMStatus: a manager filters the Leads sheet, or makes
// a pivot table of it, by the lead's CRM status. The CRM column holds the
// status and, on the next line, each lead's own reason ("Not sent: dead"
// over "crm 400 INVALID_EMAIL"): a filter by it listed a status for every
// error. The CRM status column holds the status alone, one of a few
// values, and does not print (the CRM column prints both, as before).
func TestLeadsFilterByCRMStatus(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	db := openDB(t)
	for i, o := range []op{
		{kind: "contact", state: "dead", lastError: "crm 400 INVALID_EMAIL"},
		{kind: "contact", state: "dead", lastError: "crm 400 PROPERTY_DOESNT_EXIST"},
		{kind: "contact", state: "pending", lastError: "crm 503: try later"},
		{kind: "contact", state: "done", crmID: "501"},
	} {
		when := time.Date(2026, 11, 25, 9+i, 0, 0, 0, loc)
		body := with(t, fixture(t, "eaf/email_lead.json"), "contact_email", fmt.Sprintf("lead%d@example.com", i))
		id := insertEvent(t, db, event{kind: "eaf", typ: "email_lead", body: body, at: when})
		o.at = when.Add(time.Minute)
		insertOp(t, db, id, o)
	}
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 11, Day: 25}, report.Options{
		Store: db, Dir: t.TempDir(), Location: loc, CRM: "hubspot",
		Now: func() time.Time { return time.Date(2026, 11, 26, 6, 0, 0, 0, loc) }})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	r := rows(t, f, report.SheetLeads)
	if len(r) != 5 {
		t.Fatalf("the Leads sheet has %d rows, want a header and 4 leads", len(r))
	}
	status, crm := cellIndex(t, r[0], "CRM status"), cellIndex(t, r[0], "CRM")
	var got []string
	for _, row := range r[1:] {
		got = append(got, row[status])
	}
	if want := []string{"Not sent: dead", "Not sent: dead", "Waiting to be sent", "Sent to HubSpot"}; !slices.Equal(got, want) {
		t.Errorf("the CRM status column holds %q, want %q", got, want)
	}
	if !strings.HasSuffix(r[1][crm], "\ncrm 400 INVALID_EMAIL") {
		t.Errorf("the CRM column %q, want the status over the reason, as printed", r[1][crm])
	}
	// The status alone does not print: the CRM column prints it with its
	// reason, and the page keeps its width.
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Area" && d.Scope == report.SheetLeads && d.RefersTo != "'Leads'!$A:$L" {
			t.Errorf("the Leads sheet prints %s, want A to L", d.RefersTo)
		}
	}
}
