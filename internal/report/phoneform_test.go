package report_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPhonesOnLeadsInOneReadableForm: the Leads sheet showed a lead sent to
// the CRM with its phone in E.164, "+4552250559", and one not sent yet
// with the phone as written, "52 25 05 59" or "+44(0)20 3870 4550": one
// number in three forms on a printed page. With Options.Phone (the
// mappings' reading, as the daemon wires it) every phone that is one
// number shows in the international format; a phone that is no number,
// or a number with a note, shows as written.
func TestPhonesOnLeadsInOneReadableForm(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	day := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	lb, eaf := fixture(t, "lokalebasen/enquiry_created.json"), fixture(t, "eaf/email_lead.json")
	sent := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: day.Add(8 * time.Hour), mapState: "pending", body: lb})
	insertOp(t, db, sent, op{kind: "contact", state: "done", crmID: "901", at: day.Add(8 * time.Hour),
		props: `{"email":"angela7913@hotmail.com","phone":"+4552250559"}`})
	for i, p := range []string{"52 25 05 59", "+44(0)20 3870 4550", "07700 900123", "ring efter kl. 16", "52 25 05 59 (mobil)"} {
		kind, typ, body := "eaf", "email_lead", with(t, eaf, "eaf_id", fmt.Sprint(i), "contact_phone", p)
		if i == 0 {
			kind, typ, body = "lokalebasen", "enquiry_created", []byte(fmt.Sprintf(
				`{"event_type":"enquiry_created","payload":{"client":{"email":"x%d@example.com","phone":%q}}}`, i, p))
		}
		insertEvent(t, db, event{kind: kind, typ: typ, at: day.Add(time.Duration(9*60+i) * time.Minute), mapState: "pending", body: body})
	}
	phone := func(kind, p string) string { return mapping.International(p, sender.For(syncd.Kind(kind)).Country) }
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC, Phone: phone})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"+45 52 25 05 59", "+45 52 25 05 59", "+44 20 3870 4550", "+44 7700 900123", "ring efter kl. 16", "52 25 05 59 (mobil)"}
	r := rows(t, openBook(t, path), "Leads")
	if len(r) != len(want)+1 || r[0][6] != "Phone" {
		t.Fatalf("the Leads sheet: %q; want %d leads", r, len(want))
	}
	for i, row := range r[1:] {
		if row[6] != want[i] {
			t.Errorf("lead %d's phone %q, want %q", i+1, row[6], want[i])
		}
	}
}
