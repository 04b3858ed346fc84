package report_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestSlugsShowWhole: on the printed Leads sheet the property
// ("20445 / EJ-143115") and the slug of the property asked about
// ("aebelogade-10395") wrapped at their hyphens in columns 9 wide, read as
// "aebelogade" and "-10395", though a reader copies them whole. They now
// show on one line, as they are, the message column giving up the width
// they take, and the sheet still prints one page wide at 80% or more; a
// day without them keeps its message column as wide as it was.
func TestSlugsShowWhole(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	enquiry := fixture(t, "lokalebasen/enquiry_created.json")
	for _, slugs := range []bool{true, false} {
		db := openDB(t)
		at := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
		body := with(t, enquiry, "payload.location.id", "20445", "payload.location.external_key", "EJ-143115",
			"payload.requested_location.href", "https://www.lokalebasen.dk/leje/kontorlokaler/8000-aarhus-c/aebelogade-10395")
		if !slugs {
			long := strings.Repeat("word ", 60)
			body = with(t, fixture(t, "eaf/email_lead.json"), "contact_message_html", long, "contact_message_flat", long)
		}
		insertEvent(t, db, event{kind: map[bool]string{true: "lokalebasen", false: "eaf"}[slugs],
			typ: map[bool]string{true: "enquiry_created", false: "email_lead"}[slugs], at: at, body: body})
		path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
			report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		f := openBook(t, path)
		r := rows(t, f, "Leads")
		if px := printedPixels(t, f, "Leads", 'L'); px > printWidth/0.8 {
			t.Errorf("the Leads sheet's printed columns take %v pixels, more than prints at 80%%, %.0f", px, printWidth/0.8)
		}
		message, _ := f.GetColWidth("Leads", "K")
		if !slugs {
			if message < 40 {
				t.Errorf("without slugs the message column is %v wide, want 40 or more", message)
			}
			continue
		}
		if len(r) < 2 || r[1][8] != "20445 / EJ-143115" || r[1][9] != "aebelogade-10395" {
			t.Fatalf("the lead's property and slug: %q", r)
		}
		for col, v := range map[string]string{"I": r[1][8], "J": r[1][9]} {
			if w, err := f.GetColWidth("Leads", col); err != nil || w < report.FitWidth(v) {
				t.Errorf("Leads!%s2 %q needs %v of its column's %v (%v): it wraps at its hyphen", col, v, report.FitWidth(v), w, err)
			}
		}
		if message < 20 {
			t.Errorf("the message column is %v wide, want 20 or more", message)
		}
	}
}
