package report_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestLeadsWaitingOnADownCRMStayShort: on a day the CRM did not answer,
// every lead waits with the network error under its status ("crm NETWORK:
// contacts_create: Post: dial tcp 104.16.0.1:443: i/o timeout"). The CRM
// column stayed 16 wide beside a message column given the rest of the
// page, so each reason wrapped to five lines and each lead's row was six
// lines tall beside a message of one: 25 leads printed on three pages. The
// CRM column takes a share of the width the others leave, and a lead's
// row is at most three lines tall.
func TestLeadsWaitingOnADownCRMStayShort(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	db := openDB(t)
	const why = "crm NETWORK: contacts_create: Post: dial tcp 104.16.0.1:443: i/o timeout"
	for i := range 8 {
		when := time.Date(2026, 11, 25, 9+i, 0, 0, 0, loc)
		body := with(t, fixture(t, "eaf/email_lead.json"), "contact_email", fmt.Sprintf("waiting%d@example.com", i))
		id := insertEvent(t, db, event{kind: "eaf", typ: "email_lead", body: body, at: when, mapState: "pending"})
		insertOp(t, db, id, op{kind: "contact", state: "pending", lastError: why, at: when.Add(time.Minute)})
	}
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 11, Day: 25}, report.Options{
		Store: db, Dir: t.TempDir(), Location: loc, CRM: "hubspot",
		Now: func() time.Time { return time.Date(2026, 11, 26, 6, 0, 0, 0, loc) }})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	r := rows(t, f, report.SheetLeads)
	crm := cellIndex(t, r[0], "CRM")
	if len(r) != 9 {
		t.Fatalf("the Leads sheet has %d rows, want a header and 8 leads", len(r))
	}
	for i := 2; i <= len(r); i++ {
		if want := "Waiting to be sent\n" + why; r[i-1][crm] != want {
			t.Errorf("lead row %d's CRM status is %q, want %q", i, r[i-1][crm], want)
		}
		if h, err := f.GetRowHeight(report.SheetLeads, i); err != nil || h > 3*12.75 {
			t.Errorf("lead row %d is %v points tall (%v), want at most three lines (38.25)", i, h, err)
		}
	}
}
