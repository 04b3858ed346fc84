package report_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestAttentionSourceSaysWhoseNameItIs: the Needs attention sheet's Source
// column showed the configuration's names ("eaf", "lokalebasen") where the
// Leads sheet shows the portal's or sender's ("Rightmove", "Lokalebasen"),
// and nothing on the sheet said why. The configuration's name stays, as
// the commands the sheet gives take it (syncd events list -source eaf),
// and the sheet's first row says so on a line of its own, the row merged
// across the sheet and tall enough for both lines.
func TestAttentionSourceSaysWhoseNameItIs(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	at := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	insertEvent(t, db, event{kind: "eaf", source: "eaf-london", typ: "email_lead", at: at, mapState: "unmappable",
		mapError: `rule "eaf-email-lead": contact has no email and no phone`,
		body:     with(t, fixture(t, "eaf/email_lead.json"), "contact_email", nil, "contact_phone", nil)})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	leads, att := rows(t, f, "Leads"), rows(t, f, "Needs attention")
	if len(leads) != 2 || leads[1][1] != "Rightmove" || len(att) != 3 || att[1][3] != "Source" || att[2][3] != "eaf-london" {
		t.Fatalf("Leads %q\nNeeds attention %q", leads, att)
	}
	lines := strings.Split(att[0][0], "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "For whoever runs syncd:") ||
		!strings.HasPrefix(lines[1], "Source is the source's name in syncd's configuration (sources:), the name syncd's commands take") {
		t.Errorf("Needs attention begins %q; want a line of its own saying whose names Source shows", att[0][0])
	}
	merged, err := f.GetMergeCells("Needs attention")
	if err != nil || len(merged) != 1 || merged[0].GetStartAxis() != "A1" || merged[0].GetEndAxis() != "H1" {
		t.Errorf("merged cells %v (%v); want the first row's A1:H1", merged, err)
	}
	if h, err := f.GetRowHeight("Needs attention", 1); err != nil || h < 2*12.75 {
		t.Errorf("the first row is %v tall (%v), less than two lines", h, err)
	}
	style, err := f.GetCellStyle("Needs attention", "A1")
	if err != nil {
		t.Fatal(err)
	}
	if s, err := f.GetStyle(style); err != nil || s.Alignment == nil || !s.Alignment.WrapText {
		t.Errorf("the first row does not wrap at its line break: %+v, %v", s, err)
	}
}
