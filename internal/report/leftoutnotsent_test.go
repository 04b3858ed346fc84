package report_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestFieldLeftOutOfALeadNotSentIsNotSaidToBeInTheCRM: a lead mapped
// without a field was said to have "Reached the CRM without a field" on
// Needs attention, and the mail counted it "with a field left out in the
// CRM", whatever became of it: on the dry run of the example configuration
// the same mail said "CRM: 2 not sent: dry run", and on a day the CRM was
// paused the Leads sheet said "Waiting to be sent" beside it. The words now
// hold whether the lead is in the CRM yet or not.
func TestFieldLeftOutOfALeadNotSentIsNotSaidToBeInTheCRM(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	morning := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	lb := fixture(t, "lokalebasen/enquiry_created.json")
	const note = `rule "lokalebasen-enquiry": contact's email "bob at example" left out, not an address; the contact goes by its phone`
	trial := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: morning, mapState: "pending", body: lb})
	insertOp(t, db, trial, op{kind: "contact", state: "done", crmID: "dry-5d500c5cf5374607", at: morning, target: "dryrun", mapNote: note})
	waiting := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: morning.Add(time.Hour), mapState: "pending",
		body: []byte(strings.Replace(string(lb), "grand view", "grand view 2", 1))})
	insertOp(t, db, waiting, op{kind: "contact", state: "pending", at: morning.Add(time.Hour), target: "dryrun", mapNote: note})

	srv := mailtest.Start(t, "syncd", "pw")
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2}, report.Options{Store: db,
		Dir: t.TempDir(), Location: time.UTC, CRM: "dryrun", Mailer: mailer(t, srv),
		Now: func() time.Time { return morning.Add(24 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	leads := rows(t, f, "Leads")
	if len(leads) != 3 || !strings.HasPrefix(leads[1][11], "Not sent: dry run") || !strings.HasPrefix(leads[2][11], "Waiting to be sent") {
		t.Fatalf("Leads: %q; want one lead not sent (dry run) and one waiting", leads)
	}
	const reason = `Goes to the CRM without a field: contact's email "bob at example" left out, not an address; ` +
		"the contact goes by its phone. Fill it in the CRM by hand once the lead is there, or ask the sender to send it as documented."
	att := rows(t, f, "Needs attention")
	if len(att) != 2+2 || att[2][5] != reason || att[3][5] != reason {
		t.Errorf("Needs attention: %q; want both leads saying %q", att, reason)
	}
	if intro := att[0][0]; strings.Contains(intro, "reached the CRM") {
		t.Errorf("Needs attention's first row says a lead with a field left out reached the CRM:\n%s", intro)
	}
	p := srv.Only(t)
	if want := "For whoever runs syncd: 2 with a field left out for the CRM (on the sheet Needs attention)"; !strings.Contains(p.Text, want) ||
		strings.Contains(p.Text, "in the CRM (on the sheet") {
		t.Errorf("the mail's text:\n%s\nwant %q", p.Text, want)
	}
}
