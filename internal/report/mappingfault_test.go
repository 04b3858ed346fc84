package report_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestAFailedMappingIsShortOnLeads: a lead whose mapping expression
// failed showed on the Leads sheet, the manager's, `Not sent: incomplete`
// over the whole reason, the rule's property, mapping file and line, the
// expression's error and "(at column 23)": 17 lines of the 16-wide CRM
// column, a row of 242 points, a third of an A4 page. The cell now says
// that syncd's mapping failed and where to read why, a row of a few
// lines; the whole reason stays on Needs attention, for whoever runs
// syncd. A lead without email or phone keeps its reason in words. The
// reasons are the mapping's own, of a real rule.
func TestAFailedMappingIsShortOnLeads(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	const rules = "rules:\n" +
		"  - name: lokalebasen-enquiry\n" +
		"    source: lokalebasen\n" +
		"    event: enquiry_created\n" +
		"    contact:\n" +
		"      email: payload.client.email\n" +
		"      jobtitle: {expr: 'split(payload.client.name, \" \")[1]'}\n"
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lokalebasen.yaml"), []byte(rules), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := mapping.Load(dir, "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	lead := with(t, fixture(t, "lokalebasen/enquiry_created.json"), "payload.client.name", "Mette")
	ev, err := mapping.EventFromBody(syncd.KindLokalebasen, "lokalebasen", "", lead)
	if err != nil {
		t.Fatal(err)
	}
	res := r.Map(ev)
	if res.State != syncd.MapUnmappable || !strings.Contains(res.Reason, "its expression failed for this lead") {
		t.Fatalf("the mapping: %s %q, want its expression to fail", res.State, res.Reason)
	}
	db := openDB(t)
	day := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: day.Add(9 * time.Hour), body: lead,
		mapState: "unmappable", mapError: res.Reason})
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: day.Add(10 * time.Hour),
		body:     with(t, lead, "payload.location.id", "20065"),
		mapState: "unmappable", mapError: `rule "lokalebasen-enquiry": contact has no email and no phone`})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	leads := rows(t, f, "Leads")
	if len(leads) != 3 || leads[0][11] != "CRM" {
		t.Fatalf("the Leads sheet: %q", leads)
	}
	if want := "Not sent: incomplete\nmapping failed: see Needs attention"; leads[1][11] != want {
		t.Errorf("the failed lead's CRM cell %q, want %q", leads[1][11], want)
	}
	if want := "Not sent: incomplete\ncontact has no email and no phone"; leads[2][11] != want {
		t.Errorf("the lead without email or phone: CRM cell %q, want %q", leads[2][11], want)
	}
	if h, err := f.GetRowHeight("Leads", 2); err != nil || h > 3*12.75 {
		t.Errorf("the failed lead's row is %v points tall (%v), want 3 lines (38.25) or fewer", h, err)
	}
	found := false
	for _, row := range rows(t, f, "Needs attention") {
		for _, c := range row {
			found = found || c == res.Reason
		}
	}
	if !found {
		t.Errorf("Needs attention does not give the whole reason %q", res.Reason)
	}
	if st, err := f.GetCellValue("Leads", "Q2"); err != nil || st != "Not sent: incomplete" {
		t.Errorf("the CRM status column: %q (%v)", st, err)
	}
}
