package report_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestFlatMessageShowsAsTheCRMHasIt: an Estate Agent Feeds lead without
// contact_message_html showed its contact_message_flat on the Leads sheet
// as sent, a client's mail forwarded from an iPhone in plain text with
// every line of the original marked "> ", while the shipped mappings send
// the CRM its text as htmlToText reads it, the marks taken out. The sheet
// shows it as the CRM has it.
func TestFlatMessageShowsAsTheCRMHasIt(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	morning := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	flat := "Sent from my iPhone\n\nBegin forwarded message:\n\n> From: Kim Hansen <kim@x.dk>\n> Subject: Flat 1, Elm Road\n>\n" +
		"> Hello,\n> Is the flat still free?\n> Kim\n"
	insertEvent(t, db, event{kind: "eaf", typ: "email_lead", at: morning,
		body: with(t, fixture(t, "eaf/email_lead.json"), "contact_message_html", "", "contact_message_flat", flat)})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC, HTMLText: mapping.HTMLText})
	if err != nil {
		t.Fatal(err)
	}
	r := rows(t, openBook(t, path), report.SheetLeads)
	want := "Sent from my iPhone\n\nBegin forwarded message:\n\nFrom: Kim Hansen <kim@x.dk>\nSubject: Flat 1, Elm Road\n\nHello,\nIs the flat still free?\nKim"
	if got := r[1][cellIndex(t, r[0], "Message")]; got != want {
		t.Errorf("the message is %q;\nwant %q", got, want)
	}
}
