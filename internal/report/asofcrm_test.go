package report_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestMailSaysInTheCRMIsAsSyncdLastWroteIt: a deal a salesperson deleted
// in HubSpot still counted "in HubSpot" in the report's mail (and showed
// so on the Leads sheet) until syncd wrote that lead again, with nothing
// saying the count is syncd's own record: a manager read it as what
// HubSpot holds now. The mail now says under the count, in its text and
// its HTML, that it is each lead as syncd last sent it and that one
// deleted in HubSpot since is still counted so until syncd writes it again.
func TestMailSaysInTheCRMIsAsSyncdLastWroteIt(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	morning := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	lb := fixture(t, "lokalebasen/enquiry_created.json")
	id := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: morning, mapState: "pending", body: lb})
	insertOp(t, db, id, op{kind: "contact", state: "done", crmID: "1001", at: morning})

	srv := mailtest.Start(t, "syncd", "pw")
	_, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2}, report.Options{Store: db,
		Dir: t.TempDir(), Location: time.UTC, Mailer: mailer(t, srv), Now: func() time.Time { return morning.Add(24 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	p := srv.Only(t)
	const want = `"Sent to HubSpot" is each lead as syncd last sent it: one a salesperson deleted in HubSpot since is still counted so until syncd writes it again.`
	if !slices.Contains(textLines(p), want) {
		t.Errorf("the mail's text does not say whose record \"in HubSpot\" is; want the line %q:\n%s", want, p.Text)
	}
	if html := htmlLines(t, p); !slices.ContainsFunc(html, func(l string) bool { return strings.Contains(l, want) }) {
		t.Errorf("the mail's HTML does not say whose record \"in HubSpot\" is; want %q in:\n%q", want, html)
	}
}

// TestReportSaysSentToTheCRMNotInIt: the Leads sheet, which a manager
// prints, said "In HubSpot" of every lead syncd had sent, a deal a
// salesperson deleted there since included (syncd does not read the CRM
// back to make the report; the mail alone said so). It says what syncd
// knows, "Sent to HubSpot", on the Leads sheet and in the Summary's count,
// under "Leads and the CRM" (it was "Leads in the CRM", over the leads not
// sent too).
func TestReportSaysSentToTheCRMNotInIt(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	morning := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	id := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: morning, mapState: "pending",
		body: fixture(t, "lokalebasen/enquiry_created.json")})
	insertOp(t, db, id, op{kind: "contact", state: "done", crmID: "1001", at: morning})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Dir: t.TempDir(), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	book := openBook(t, path)
	if leads := rows(t, book, "Leads"); len(leads) != 2 || leads[1][11] != "Sent to HubSpot" {
		t.Errorf("Leads: %q; want the lead's CRM cell %q", leads, "Sent to HubSpot")
	}
	var said bool
	for _, row := range rows(t, book, "Summary") {
		said = said || slices.Contains(row, "Sent to HubSpot")
		if slices.ContainsFunc(row, func(c string) bool { return strings.HasPrefix(c, "In HubSpot") || c == "Leads in the CRM" }) {
			t.Errorf("Summary row %q says the leads are in HubSpot", row)
		}
	}
	if !said {
		t.Errorf("the Summary counts no lead %q:\n%q", "Sent to HubSpot", rows(t, book, "Summary"))
	}
}

// TestDryRunSaysNoLeadWasSent: with the example configuration's dry-run
// CRM (crm.kind: dryrun), which records what it would send and sends
// nothing, the report said "Sent to Dryrun" of every lead, on the Leads
// sheet, in the Summary and in the mail, and under it that one "deleted in
// Dryrun" is still counted so: a manager mailed the reports of a trial read
// the leads as in a CRM. It says that they were not sent, and why.
func TestDryRunSaysNoLeadWasSent(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	morning := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	id := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: morning, mapState: "pending",
		body: fixture(t, "lokalebasen/enquiry_created.json")})
	insertOp(t, db, id, op{kind: "contact", state: "done", crmID: "dryrun-1", at: morning, target: "dryrun"})
	srv := mailtest.Start(t, "syncd", "pw")
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2}, report.Options{Store: db,
		Dir: t.TempDir(), Location: time.UTC, Mailer: mailer(t, srv), Now: func() time.Time { return morning.Add(24 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	const label = "Not sent: dry run"
	book := openBook(t, path)
	if leads := rows(t, book, "Leads"); len(leads) != 2 || leads[1][11] != label {
		t.Errorf("Leads: %q; want the lead's CRM cell %q", leads, label)
	}
	var said bool
	for _, row := range rows(t, book, "Summary") {
		said = said || slices.Contains(row, label)
		if slices.ContainsFunc(row, func(c string) bool { return strings.Contains(strings.ToLower(c), "sent to dryrun") }) {
			t.Errorf("Summary row %q says the leads were sent", row)
		}
	}
	if !said {
		t.Errorf("the Summary counts no lead %q:\n%q", label, rows(t, book, "Summary"))
	}
	p := srv.Only(t)
	for _, part := range []string{p.Text, strings.Join(htmlLines(t, p), "\n")} {
		if strings.Contains(part, "Dryrun") || strings.Contains(part, "sent to") {
			t.Errorf("the mail says the leads were sent to a CRM:\n%s", part)
		}
		if !strings.Contains(part, "not sent: dry run") || !strings.Contains(part, "crm.kind: dryrun") {
			t.Errorf("the mail does not say the dry run sent no lead, and why:\n%s", part)
		}
	}
}
