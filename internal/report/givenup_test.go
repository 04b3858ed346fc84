package report_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestReportCountsGivenUpOperationsApart: the operator gave up, with syncd
// outbox give-up, a lead's contact the CRM never took; another lead's
// contact the CRM refused is a dead letter. syncd status counts no
// attention for the given-up one, but the report listed it as "dead" like
// the other and counted it: "For whoever runs syncd: 2 items on the sheet
// Needs attention" and "2 dead operations" in the mail, the operator's
// choice read as a second failure. It is listed as given up, and a quieter
// line says so; only the CRM's dead letter is counted as needing
// attention.
func TestReportCountsGivenUpOperationsApart(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	morning := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	body := fixture(t, "lokalebasen/enquiry_created.json")
	first := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: body, at: morning})
	second := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created",
		body: with(t, body, "payload.client.email", "bob@example.com"), at: morning.Add(time.Minute)})
	contact := insertOp(t, db, first, op{kind: "contact", state: "pending", lastError: "crm 504 Gateway Timeout", at: morning})
	refused := insertOp(t, db, second, op{kind: "contact", state: "dead", lastError: "crm 400 INVALID_EMAIL",
		at: morning.Add(2 * time.Minute)})
	at(db, morning.Add(3*time.Hour), func() {
		if _, err := db.GiveUpOp(context.Background(), contact, "hubspot", "given up by hand (syncd outbox give-up)"); err != nil {
			t.Fatal(err)
		}
	})
	var mailText string
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Dir: t.TempDir(), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if recs, err := db.Reports(context.Background(), "2026-06-02"); err == nil && len(recs) == 1 {
		mailText = recs[0].Summary
	}
	f := openBook(t, path)
	att := rows(t, f, "Needs attention")
	problems := map[string]string{}
	for _, r := range att[2:] {
		problems[r[2]] = r[1]
	}
	if len(att) != 2+2 || problems[strconv.FormatInt(refused, 10)] != "dead" || problems[strconv.FormatInt(contact, 10)] != "given up" {
		t.Errorf("Needs attention: %q; want the refused contact dead, the other given up", att)
	}
	if got, want := summaryNote(t, f), "For whoever runs syncd: 1 item on the sheet Needs attention."; got != want {
		t.Errorf("the Summary says %q, want %q", got, want)
	}
	if !strings.Contains(summaryText(t, f), "1 operation given up by hand (syncd outbox give-up)") {
		t.Errorf("the Summary does not say what was given up by hand:\n%s", summaryText(t, f))
	}
	if !strings.Contains(mailText, "For whoever runs syncd: 1 dead operation") ||
		!strings.Contains(mailText, "1 operation given up by hand") {
		t.Errorf("the mail's text:\n%s\nwant 1 dead operation, and the one given up apart", mailText)
	}
	if strings.Contains(mailText, "2 dead") || strings.Contains(summaryText(t, f), "2 items") {
		t.Errorf("the given-up operations are counted as needing attention")
	}
}

// summaryText is the Summary sheet's cells, a line per row.
func summaryText(t *testing.T, f *excelize.File) string {
	t.Helper()
	var b strings.Builder
	for _, r := range rows(t, f, "Summary") {
		b.WriteString(strings.Join(r, " ") + "\n")
	}
	return b.String()
}

// TestLeadGivenUpByHandSaysSo: a lead whose contact the operator gave up
// by hand showed "Not sent: dead" on the Leads sheet, in the Summary's
// Leads in the CRM and in the mail, like a lead the CRM refused, the
// operator's choice only in its reason. It says "Not sent: given up".
func TestLeadGivenUpByHandSaysSo(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	morning := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	body := fixture(t, "lokalebasen/enquiry_created.json")
	first := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: body, at: morning})
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created",
		body: with(t, body, "payload.client.email", "bob@example.com"), at: morning.Add(time.Minute)})
	contact := insertOp(t, db, first, op{kind: "contact", state: "pending", lastError: "crm 504 Gateway Timeout", at: morning})
	insertOp(t, db, first+1, op{kind: "contact", state: "dead", lastError: "crm 400 INVALID_EMAIL", at: morning.Add(2 * time.Minute)})
	at(db, morning.Add(3*time.Hour), func() {
		if _, err := db.GiveUpOp(context.Background(), contact, "hubspot", "given up by hand (syncd outbox give-up)"); err != nil {
			t.Fatal(err)
		}
	})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Dir: t.TempDir(), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	leads := rows(t, f, "Leads")
	if len(leads) != 3 || !strings.HasPrefix(leads[1][11], "Not sent: given up\ngiven up by hand") ||
		!strings.HasPrefix(leads[2][11], "Not sent: dead\ncrm 400 INVALID_EMAIL") {
		t.Errorf("Leads' CRM column: %q; want the first given up, the second dead", leads)
	}
	sum := summaryMap(t, f)
	if sum["Not sent: given up"] != "1" || sum["Not sent: dead"] != "1" {
		t.Errorf("Leads in the CRM: given up %q, dead %q; want 1 each", sum["Not sent: given up"], sum["Not sent: dead"])
	}
	recs, err := db.Reports(context.Background(), "2026-06-02")
	if err != nil || len(recs) != 1 || !strings.Contains(recs[0].Summary, "1 not sent: dead, 1 not sent: given up") {
		t.Errorf("the mail's text: %+v, %v; want 1 dead and 1 given up", recs, err)
	}
}

// TestNeedsAttentionSaysGivenUpNeedNothing: on a day whose Needs attention
// sheet listed only an operation given up by hand, its first line read
// "what syncd could not deliver or read", as if the row needed someone.
// It says the rows given up need nothing more.
func TestNeedsAttentionSaysGivenUpNeedNothing(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	morning := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	ev := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"), at: morning})
	contact := insertOp(t, db, ev, op{kind: "contact", state: "pending", lastError: "crm 504 Gateway Timeout", at: morning})
	at(db, morning.Add(time.Hour), func() {
		if _, err := db.GiveUpOp(context.Background(), contact, "hubspot", "given up by hand (syncd outbox give-up)"); err != nil {
			t.Fatal(err)
		}
	})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Dir: t.TempDir(), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	att := rows(t, openBook(t, path), "Needs attention")
	if len(att) != 3 || att[2][1] != "given up" {
		t.Fatalf("Needs attention: %q; want the one operation given up", att)
	}
	if intro := att[0][0]; !strings.Contains(intro, "given up by hand (syncd outbox give-up) need nothing more") {
		t.Errorf("Needs attention begins %q; want it to say the rows given up need nothing more", intro)
	}
}

// TestMailHTMLSaysWhatWasGivenUp: the mail's text part says the
// operations given up by hand apart ("1 operation given up by hand …:
// nothing to do"), its HTML part, the one most mail programs show, said
// nothing of them: a reader of it could not tell a lead was set aside.
func TestMailHTMLSaysWhatWasGivenUp(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	morning := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	ev := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"), at: morning})
	contact := insertOp(t, db, ev, op{kind: "contact", state: "pending", lastError: "crm 504 Gateway Timeout", at: morning})
	at(db, morning.Add(time.Hour), func() {
		if _, err := db.GiveUpOp(context.Background(), contact, "hubspot", "given up by hand (syncd outbox give-up)"); err != nil {
			t.Fatal(err)
		}
	})
	if _, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Dir: t.TempDir(), Location: time.UTC}); err != nil {
		t.Fatal(err)
	}
	recs, err := db.Reports(context.Background(), "2026-06-02")
	if err != nil || len(recs) != 1 {
		t.Fatalf("reports: %+v, %v", recs, err)
	}
	if want := "1 operation given up by hand (syncd outbox give-up): nothing to do"; !strings.Contains(recs[0].HTML, want) {
		t.Errorf("the mail's HTML lacks %q:\n%s", want, recs[0].HTML)
	}
}
