package report_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestMessageKeepsItsParagraphsApart: the Leads sheet dropped the empty
// lines between a message's paragraphs, so that in the narrow Message
// column a paragraph wrapped over three lines ran into the next with
// nothing to say where one ended, and a message copied into a reply, or
// set beside the CRM's text (which keeps them), had its paragraphs run
// together. A message keeps one empty line between paragraphs, however
// many the client typed, and none before or after its text; so does an
// HTML message's text, as the CRM gets it.
func TestMessageKeepsItsParagraphsApart(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	morning := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	flat := "\n\nHej\n\nVi søger 200 m2 til et team på 14, gerne med mødelokale og parkering.\n  \n\n\nKan vi se lokalerne på torsdag?\n\nMvh\nLise\n\n"
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: morning,
		body: with(t, fixture(t, "lokalebasen/enquiry_created.json"), "payload.comment", flat)})
	insertEvent(t, db, event{kind: "eaf", typ: "email_lead", at: morning.Add(time.Minute),
		body: with(t, fixture(t, "eaf/email_lead.json"), "contact_message_html", "<p>Hello,</p><p>Is parking included?</p><p>Thanks,<br>James</p>",
			"contact_message_flat", "Hello, Is parking included? Thanks, James")})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC, HTMLText: mapping.HTMLText})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	r := rows(t, f, report.SheetLeads)
	msg := cellIndex(t, r[0], "Message")
	for i, want := range []string{
		"Hej\n\nVi søger 200 m2 til et team på 14, gerne med mødelokale og parkering.\n\nKan vi se lokalerne på torsdag?\n\nMvh\nLise",
		"Hello,\n\nIs parking included?\n\nThanks,\nJames",
	} {
		if got := r[i+1][msg]; got != want {
			t.Errorf("lead %d's message is %q;\nwant %q", i+1, got, want)
		}
	}
	// The row is as tall as the lines it shows, the empty ones too.
	if h, err := f.GetRowHeight(report.SheetLeads, 3); err != nil || h < 6*12.75 {
		t.Errorf("the HTML message's row is %v points tall (%v): want its 6 lines at least", h, err)
	}
}
