package storetest

import (
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testReportMailNote: how a report's mail stood (recipients refused, held
// for a server that did not take it, sent without the workbook) is kept in
// fields beside its error text, read back by Reports and LastReport, and
// replaced by the next outcome; a report made again without mail keeps it.
func testReportMailNote(t *testing.T, e *env) {
	rec := syncd.ReportRecord{Day: "2026-03-01", Path: "/r/a.xlsx", Leads: 3, Mail: syncd.MailPending}
	if err := e.Store.RecordReport(e.ctx, rec); err != nil {
		t.Fatal(err)
	}
	note := func(want syncd.MailNote) {
		t.Helper()
		rs, err := e.Store.Reports(e.ctx, "2026-03-01")
		if err != nil || len(rs) != 1 || rs[0].MailNote != want {
			t.Fatalf("reports = %+v, %v; want note %+v", rs, err, want)
		}
		last, err := e.Store.LastReport(e.ctx, true)
		if err != nil || last.MailNote != want {
			t.Fatalf("last report = %+v, %v; want note %+v", last, err, want)
		}
	}
	held := syncd.MailNote{Held: true}
	if err := e.Store.SetMailState(e.ctx, rec.Day, syncd.MailPending, 5, "down", held); err != nil {
		t.Fatal(err)
	}
	note(held)
	sent := syncd.MailNote{Refused: 2, RefusedWho: "a (550); b (550)", Unattached: "too large; kept at /r/a.xlsx"}
	if err := e.Store.SetMailState(e.ctx, rec.Day, syncd.MailSent, 6, "text for display", sent); err != nil {
		t.Fatal(err)
	}
	note(sent)
	rec.Mail = syncd.MailNone // made again by hand, without mail
	if err := e.Store.RecordReport(e.ctx, rec); err != nil {
		t.Fatal(err)
	}
	note(sent)
	waiting := syncd.MailNote{Refused: 1, RefusedWho: "c (450) for now, trying again"}
	if err := e.Store.SetMailWaiting(e.ctx, rec.Day, 2, "text", waiting, `{"to":["c"]}`); err != nil {
		t.Fatal(err)
	}
	note(waiting)
	// LastReport gives who waits too (status counts them from it).
	if last, err := e.Store.LastReport(e.ctx, true); err != nil || last.MailWaiting != `{"to":["c"]}` {
		t.Fatalf("last report = %+v, %v; want the recipients waiting", last, err)
	}
	rec.Mail, rec.MailNote = syncd.MailFailed, syncd.MailNote{}
	if err := e.Store.RecordReport(e.ctx, rec); err != nil { // a new mail's record replaces it
		t.Fatal(err)
	}
	note(syncd.MailNote{})
}
