package report_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestLeadsInTheCRMWithAFieldLeftOutNeedAttention: a lead the mapper sent
// to the CRM without a field (a date syncd cannot read, a client's name
// sent as an object, an email that is not an address) was mapped, with a
// note of what was left out, but no sheet listed it: Needs attention said
// "Nothing needs attention" and the manager never learned that the CRM
// record lacks its enquiry date or its client's name. Each is now a row
// of its own kind, "field left out", saying which field and why and what
// to do, linked to its lead, counted in the Summary and the mail like the
// others and raising no alarm; a lead mapped without a note is not listed.
func TestLeadsInTheCRMWithAFieldLeftOutNeedAttention(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	morning := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	eaf := fixture(t, "eaf/email_lead.json")
	lb := fixture(t, "lokalebasen/enquiry_created.json")
	noDate := insertEvent(t, db, event{kind: "eaf", typ: "email_lead", at: morning, mapState: "mapped",
		mapError: `rule "eaf-email-lead": syncd_enquiry_at left out: cannot read "06/09/2021 06:28" as a date`,
		body:     with(t, eaf, "eaf_date", nil, "email_date_time", "06/09/2021 06:28")})
	noEmail := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: morning.Add(time.Minute),
		mapState: "mapped", body: lb,
		mapError: `rule "lokalebasen-enquiry": contact's email "bob at example" left out, not an address; the contact goes by its phone`})
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: morning.Add(2 * time.Minute), body: lb})

	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Dir: t.TempDir(), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	att := rows(t, f, "Needs attention")
	if len(att) != 2+2 {
		t.Fatalf("Needs attention: %q; want the two leads with a field left out", att)
	}
	for i, want := range []struct {
		id     int64
		reason string
	}{
		{noDate, `Goes to the CRM without a field: syncd_enquiry_at left out: cannot read "06/09/2021 06:28" as a date. ` +
			"Fill it in the CRM by hand once the lead is there, or ask the sender to send it as documented."},
		{noEmail, `Goes to the CRM without a field: contact's email "bob at example" left out, not an address; ` +
			"the contact goes by its phone. Fill it in the CRM by hand once the lead is there, or ask the sender to send it as documented."},
	} {
		row, id := att[2+i], strconv.FormatInt(want.id, 10)
		if row[1] != "field left out" || row[2] != id || row[5] != want.reason ||
			!strings.Contains(row[6], id) || row[7] != "syncd events show "+id {
			t.Errorf("Needs attention row %d: %q; want lead %s, field left out, saying %q", i+1, row, id, want.reason)
		}
	}
	if got, want := summaryNote(t, f), "For whoever runs syncd: 2 items on the sheet Needs attention."; got != want {
		t.Errorf("the Summary says %q, want %q", got, want)
	}
	if s := summaryText(t, f); strings.Contains(s, "ALARM") {
		t.Errorf("a field left out raised an alarm:\n%s", s)
	}
	recs, err := db.Reports(context.Background(), "2026-06-02")
	if err != nil || len(recs) != 1 {
		t.Fatalf("reports: %v, %v", recs, err)
	}
	if want := "For whoever runs syncd: 2 with a field left out for the CRM (on the sheet Needs attention)\n"; !strings.Contains(recs[0].Summary, want) {
		t.Errorf("the mail's text:\n%s\nwant %q", recs[0].Summary, want)
	}
}
