package report_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestIncompleteLeadSaysWhyInWords: a lead no mapping could make CRM
// records of showed on the Leads sheet, the manager's, `Not sent:
// incomplete` over `rule "eaf-email-lead": contact has no email and no
// phone`: the rule's name, an identifier from the operator's mapping
// files, says nothing to a manager and took a line of the narrow CRM
// column. The sheet says why in words, as it already did for a field left
// out; the Needs attention sheet, for whoever runs syncd, keeps the
// rule's name. A rule whose name holds ": " is taken whole.
func TestIncompleteLeadSaysWhyInWords(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	lead := fixture(t, "eaf/email_lead.json")
	db := openDB(t)
	day := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	for i, e := range []string{`rule "eaf-email-lead": contact has no email and no phone`,
		`rule "leads: eaf": contact has no email and no phone`} {
		insertEvent(t, db, event{kind: "eaf", typ: "email_lead", at: day.Add(time.Duration(9+i) * time.Hour),
			body: with(t, lead, "eaf_id", string(rune('a'+i))), mapState: "unmappable", mapError: e})
	}
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
	for _, r := range leads[1:] {
		if want := "Not sent: incomplete\ncontact has no email and no phone"; r[11] != want {
			t.Errorf("the lead's CRM cell %q, want %q", r[11], want)
		}
	}
	attention := rows(t, f, "Needs attention")
	for _, want := range []string{`rule "eaf-email-lead": contact has no email and no phone`,
		`rule "leads: eaf": contact has no email and no phone`} {
		found := false
		for _, r := range attention {
			for _, c := range r {
				found = found || c == want
			}
		}
		if !found {
			t.Errorf("Needs attention no longer gives the rule's name, %q:\n%q", want, attention)
		}
	}
}
