package report_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestDryRunLeadSaysTheFieldItLeavesOut: the dry run (crm.kind dryrun, the
// example configuration's) is where an agency sees what syncd would send
// before it connects its CRM. A lead the mapping left a field out of said
// so on the Leads sheet when sent ("Sent to HubSpot: field left out") or
// waiting, but on the dry run only "Not sent: dry run": Needs attention
// listed it, linked to a row that said nothing of it, and whoever read the
// Leads sheet to judge the mappings did not see which leads would reach
// the CRM without a field. Its CRM cell now says the field and why, as the
// others' do.
func TestDryRunLeadSaysTheFieldItLeavesOut(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	morning := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	lb := fixture(t, "lokalebasen/enquiry_created.json")
	const note = `rule "lokalebasen-enquiry": contact's email "bob at example" left out, not an address; the contact goes by its phone`
	trial := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: morning, mapState: "pending", body: lb})
	insertOp(t, db, trial, op{kind: "contact", state: "done", crmID: "dry-5d500c5cf5374607", at: morning, target: "dryrun", mapNote: note})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2}, report.Options{Store: db,
		Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC, CRM: "dryrun",
		Now: func() time.Time { return morning.Add(24 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	leads := rows(t, f, "Leads")
	const want = "Not sent: dry run: field left out\n" + `contact's email "bob at example" left out, not an address; the contact goes by its phone`
	if len(leads) != 2 || len(leads[1]) < 12 || leads[1][11] != want {
		t.Fatalf("Leads: %q; want the lead's CRM cell %q", leads, want)
	}
	if st := cellStyle(t, f, "Leads", "L2"); len(st.Fill.Color) == 0 {
		t.Errorf("the dry run lead's CRM cell is not highlighted as the others with a field left out are: %+v", st.Fill)
	}
}
