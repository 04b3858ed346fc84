package report_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestFieldLeftOutNoteWritesThePhoneReadably: a client who wrote two
// numbers in the phone field ("52 25 05 59 / 87 65 43 21") has the CRM
// contact's the first, and the note of the second left out named the
// contact's in E.164, "+4552250559", on the Leads sheet and Needs
// attention, where the lead's Phone cell beside it, and every other phone
// of the report, is "+45 52 25 05 59": eleven digits in a row to misread
// when dialling from the page. The note now writes it as the report
// writes phones; what the client wrote, quoted, stays as written.
func TestFieldLeftOutNoteWritesThePhoneReadably(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	morning := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	given := "52 25 05 59 / 87 65 43 21"
	note := `rule "lokalebasen-enquiry": contact's phone "` + given + `" holds more than one number: ` +
		`the contact's is +4552250559, and "87 65 43 21" is left out (add it in the CRM by hand)`
	id := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: morning, mapState: "pending",
		body: with(t, fixture(t, "lokalebasen/enquiry_created.json"), "payload.client.phone", given)})
	insertOp(t, db, id, op{kind: "contact", state: "done", crmID: "1001", at: morning, mapNote: note,
		props: `{"email":"angela7913@hotmail.com","phone":"+4552250559"}`})
	phone := func(kind, p string) string { return mapping.International(p, sender.For(syncd.Kind(kind)).Country) }
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Dir: t.TempDir(), Location: time.UTC, Phone: phone})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	leads, att := rows(t, f, report.SheetLeads), rows(t, f, report.SheetAttention)
	if len(leads) != 2 || len(att) != 3 {
		t.Fatalf("Leads %q, Needs attention %q: want the lead on each", leads, att)
	}
	want := `contact's phone "52 25 05 59 / 87 65 43 21" holds more than one number: the contact's is +45 52 25 05 59, ` +
		`and "87 65 43 21" is left out (add it in the CRM by hand)`
	if p := leads[1][cellIndex(t, leads[0], "Phone")]; p != "+45 52 25 05 59" {
		t.Errorf("the lead's phone is %q", p)
	}
	if got := leads[1][cellIndex(t, leads[0], "CRM")]; got != "Sent to HubSpot: field left out\n"+want {
		t.Errorf("the Leads sheet's CRM cell says %q;\nwant %q", got, want)
	}
	if got := att[2][cellIndex(t, att[1], "Reason")]; !strings.Contains(got, want) {
		t.Errorf("Needs attention says %q;\nwant it to say %q", got, want)
	}
}
