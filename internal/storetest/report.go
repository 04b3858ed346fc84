package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

func testReports(t *testing.T, e *env) {
	if day, err := e.Store.FirstReport(e.ctx); err != nil || day != "" {
		t.Fatalf("first report = %q, %v", day, err)
	}
	rec := syncd.ReportRecord{Day: "2026-03-01", Path: "/r/a.xlsx", Leads: 3, Summary: "3 leads", Mail: syncd.MailPending}
	if err := e.Store.RecordReport(e.ctx, rec); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.SetMailState(e.ctx, "2026-03-01", syncd.MailSent, 1, "", syncd.MailNote{}); err != nil {
		t.Fatal(err)
	}
	// Made again by hand, without mail: the day stays mailed.
	rec.Mail, rec.Leads, rec.Summary = syncd.MailNone, 4, "4 leads"
	if err := e.Store.RecordReport(e.ctx, rec); err != nil {
		t.Fatal(err)
	}
	e.Store.RecordReport(e.ctx, syncd.ReportRecord{Day: "2026-03-02", Path: "/r/b.xlsx"})
	if made, _ := e.Store.ReportMade(e.ctx, "2026-03-01"); !made {
		t.Fatal("report not made")
	}
	if made, _ := e.Store.ReportMade(e.ctx, "2026-02-28"); made {
		t.Fatal("report made for a day never made")
	}
	if day, _ := e.Store.FirstReport(e.ctx); day != "2026-03-01" {
		t.Fatalf("first report %q", day)
	}
	rs, err := e.Store.Reports(e.ctx, "2026-03-01")
	if err != nil || len(rs) != 2 {
		t.Fatalf("reports = %+v, %v", rs, err)
	}
	r := rs[0]
	if r.Mail != syncd.MailSent || r.Attempts != 1 || r.Leads != 4 || r.Summary != "4 leads" ||
		!r.MailedAt.Equal(e.now()) || !r.CreatedAt.Equal(e.now()) || rs[1].Mail != syncd.MailNone {
		t.Fatalf("report = %+v", r)
	}
	if later, _ := e.Store.Reports(e.ctx, "2026-03-02"); len(later) != 1 {
		t.Fatalf("reports since: %+v", later)
	}
	if err := e.Store.SetMailState(e.ctx, "2020-01-01", syncd.MailFailed, 3, "x", syncd.MailNote{}); err == nil {
		t.Fatal("mail state of no report accepted")
	}
}

// testReportMailParts: the mail's subject and HTML part are recorded
// with the report and read back, so that a mail sent later (the daemon
// restarted while it waited to retry, or syncd report -mail of a day
// made) is the one made with the workbook. PostgreSQL kept neither: such
// a mail went as "Leads report DAY: N leads", text only, the alarms gone
// from its subject.
func testReportMailParts(t *testing.T, e *env) {
	rec := syncd.ReportRecord{Day: "2026-03-01", Path: "/r/a.xlsx", Leads: 3, Summary: "3 leads",
		Subject: "3 leads · CRM paused · Sun 1 Mar", HTML: "<p>3 leads</p>", Mail: syncd.MailPending}
	if err := e.Store.RecordReport(e.ctx, rec); err != nil {
		t.Fatal(err)
	}
	rs, err := e.Store.Reports(e.ctx, "2026-03-01")
	if err != nil || len(rs) != 1 || rs[0].Subject != rec.Subject || rs[0].HTML != rec.HTML {
		t.Fatalf("reports = %+v, %v; want the subject and HTML recorded", rs, err)
	}
}

// testReportMailWaiting: the recipients of a mail refused only for now
// are recorded with the mail sent (SetMailWaiting) and read back, so that
// a restart mails them again; another mail state recorded, or the day's
// mail asked again, forgets them, while a report made again without mail
// keeps them.
func testReportMailWaiting(t *testing.T, e *env) {
	rec := syncd.ReportRecord{Day: "2026-03-01", Path: "/r/a.xlsx", Leads: 3, Summary: "3 leads", Mail: syncd.MailPending}
	if err := e.Store.RecordReport(e.ctx, rec); err != nil {
		t.Fatal(err)
	}
	waiting := func(want string) {
		t.Helper()
		rs, err := e.Store.Reports(e.ctx, "2026-03-01")
		if err != nil || len(rs) != 1 || rs[0].MailWaiting != want {
			t.Fatalf("reports = %+v, %v; want waiting %q", rs, err, want)
		}
		if want != "" && (rs[0].Mail != syncd.MailSent || rs[0].Attempts != 2 || rs[0].MailError != "d (450) for now, trying again" ||
			!rs[0].MailedAt.Equal(e.now())) {
			t.Fatalf("report = %+v; want sent after 2 attempts, with its error, mailed now", rs[0])
		}
	}
	const w = `{"to":["d@greylist.example"]}`
	set := func() {
		t.Helper()
		if err := e.Store.SetMailWaiting(e.ctx, "2026-03-01", 2, "d (450) for now, trying again",
			syncd.MailNote{Refused: 1, RefusedWho: "d (450) for now, trying again"}, w); err != nil {
			t.Fatal(err)
		}
	}
	set()
	waiting(w)
	rec.Mail, rec.Leads = syncd.MailNone, 4 // made again by hand, without mail
	if err := e.Store.RecordReport(e.ctx, rec); err != nil {
		t.Fatal(err)
	}
	waiting(w)
	if err := e.Store.SetMailState(e.ctx, "2026-03-01", syncd.MailSent, 3, "", syncd.MailNote{}); err != nil {
		t.Fatal(err)
	}
	waiting("")
	set()
	rec.Mail = syncd.MailPending // mailed again by hand: a new mail
	if err := e.Store.RecordReport(e.ctx, rec); err != nil {
		t.Fatal(err)
	}
	waiting("")
	if err := e.Store.SetMailWaiting(e.ctx, "2020-01-01", 1, "x", syncd.MailNote{}, w); err == nil {
		t.Fatal("mail waiting of no report accepted")
	}
}

// testReportAlarms: the alarms a report was made with are recorded with
// it and read back as they were, the day's made again replacing them (a
// workbook made again shows them: see report.Options.Again).
func testReportAlarms(t *testing.T, e *env) {
	since := e.now().Add(-time.Hour)
	paused := syncd.ReportAlarm{Since: since, Until: e.now().Add(time.Hour), Short: "CRM paused",
		Text: "CRM adapter hubspot is paused: authentication rejected."}
	doubt := syncd.ReportAlarm{Short: "CRM creates in doubt", Text: "1 CRM create(s) in doubt"}
	rec := syncd.ReportRecord{Day: "2026-03-01", Path: "/r/a.xlsx", Leads: 3, Alarms: []syncd.ReportAlarm{paused, doubt}}
	if err := e.Store.RecordReport(e.ctx, rec); err != nil {
		t.Fatal(err)
	}
	e.Store.RecordReport(e.ctx, syncd.ReportRecord{Day: "2026-03-02", Path: "/r/b.xlsx"})
	rs, err := e.Store.Reports(e.ctx, "2026-03-01")
	if err != nil || len(rs) != 2 {
		t.Fatalf("reports = %+v, %v", rs, err)
	}
	got := rs[0].Alarms
	if len(got) != 2 || !got[0].Since.Equal(paused.Since) || !got[0].Until.Equal(paused.Until) ||
		got[0].Short != paused.Short || got[0].Text != paused.Text ||
		!got[1].Since.IsZero() || !got[1].Until.IsZero() || got[1].Short != doubt.Short || got[1].Text != doubt.Text {
		t.Fatalf("alarms read back = %+v; want %+v", got, rec.Alarms)
	}
	if len(rs[1].Alarms) != 0 {
		t.Fatalf("a report made without alarms has %+v", rs[1].Alarms)
	}
	rec.Alarms, rec.Again = rec.Alarms[1:], true
	if err := e.Store.RecordReport(e.ctx, rec); err != nil {
		t.Fatal(err)
	}
	if rs, _ := e.Store.Reports(e.ctx, "2026-03-01"); len(rs) == 0 || len(rs[0].Alarms) != 1 || rs[0].Alarms[0].Text != doubt.Text {
		t.Fatalf("alarms after the day was made again = %+v; want the doubt alone", rs)
	}
}

// testLastReport checks the report status and the metrics speak of: of
// the reports made once their day was over, the latest day's whose mail
// was asked for, even when a report looked at by hand (no mail) was made
// after it; when no mail was ever asked for (no report.mail.to), the
// latest day's. An older day's made by hand since, mailed or not, is not
// the last report (it reset the report's age, silencing the alert on no
// report for 26 hours), nor one made before its day was over (Partial: a
// look at today, which its run makes again). Once mail is no longer asked
// for (mailed false), the latest day's is the last report: the last one
// mailed, ever older, set off the alert on no report every day.
func testLastReport(t *testing.T, e *env) {
	last := func(want string) {
		t.Helper()
		r, err := e.Store.LastReport(e.ctx, true)
		if err != nil || r.Day != want {
			t.Fatalf("last report = %+v, %v; want day %q", r, err, want)
		}
	}
	last("")
	made := func(day string, mail syncd.MailState) {
		t.Helper()
		e.advance(time.Minute)
		if err := e.Store.RecordReport(e.ctx, syncd.ReportRecord{Day: day, Path: "/r/" + day + ".xlsx", CreatedAt: e.now(), Leads: 2, Mail: mail}); err != nil {
			t.Fatal(err)
		}
	}
	partial := func(day string, mail syncd.MailState) {
		t.Helper()
		e.advance(time.Minute)
		if err := e.Store.RecordReport(e.ctx, syncd.ReportRecord{Day: day, Path: "/r/" + day + ".xlsx", CreatedAt: e.now(), Leads: 1,
			Mail: mail, Partial: true}); err != nil {
			t.Fatal(err)
		}
	}
	partial("2026-03-01", syncd.MailNone) // today's, looked at by hand: no report yet
	last("")
	made("2026-03-01", syncd.MailNone) // the day's run makes it whole
	made("2026-02-27", syncd.MailNone) // an older day looked at by hand, later
	last("2026-03-01")
	partial("2026-03-02", syncd.MailNone) // today's, looked at by hand
	last("2026-03-01")
	made("2026-03-02", syncd.MailNone) // the next day's run
	last("2026-03-02")
	made("2026-03-02", syncd.MailPending)
	if err := e.Store.SetMailState(e.ctx, "2026-03-02", syncd.MailFailed, 3, "554 refused", syncd.MailNote{}); err != nil {
		t.Fatal(err)
	}
	made("2026-02-20", syncd.MailNone) // an older day looked at by hand
	r, err := e.Store.LastReport(e.ctx, true)
	if err != nil || r.Day != "2026-03-02" || r.Mail != syncd.MailFailed || r.Attempts != 3 || r.MailError != "554 refused" ||
		r.Leads != 2 || r.Path != "/r/2026-03-02.xlsx" || !r.CreatedAt.Equal(e.now().Add(-time.Minute)) {
		t.Fatalf("last report = %+v, %v; want 2026-03-02's failed mail", r, err)
	}
	partial("2026-03-03", syncd.MailPending) // today's, mailed by hand
	last("2026-03-02")
	made("2026-03-04", syncd.MailPending) // a later day's made before
	made("2026-03-03", syncd.MailPending) // an earlier day's, by hand
	last("2026-03-04")
	if err := e.Store.SetMailState(e.ctx, "2026-03-04", syncd.MailSent, 1, "", syncd.MailNote{}); err != nil {
		t.Fatal(err)
	}
	if r, _ := e.Store.LastReport(e.ctx, true); r.Day != "2026-03-04" || r.Mail != syncd.MailSent || !r.MailedAt.Equal(e.now()) {
		t.Fatalf("last report after its mail went = %+v", r)
	}
	sent := e.now()
	made("2026-02-25", syncd.MailPending) // an older day mailed by hand
	if err := e.Store.SetMailState(e.ctx, "2026-02-25", syncd.MailSent, 1, "", syncd.MailNote{}); err != nil {
		t.Fatal(err)
	}
	if r, _ := e.Store.LastReport(e.ctx, true); r.Day != "2026-03-04" || !r.MailedAt.Equal(sent) {
		t.Fatalf("last report after an older day's was mailed by hand = %+v; want 2026-03-04's", r)
	}
	// An older day's made again by erase or the purge, without mail,
	// keeps when it was first made and whether it was partial.
	partial("2026-03-05", syncd.MailNone)
	e.advance(time.Minute)
	for _, day := range []string{"2026-03-02", "2026-03-05"} {
		if err := e.Store.RecordReport(e.ctx, syncd.ReportRecord{Day: day, Path: "/r/" + day + ".xlsx", CreatedAt: e.now(),
			Leads: 1, Mail: syncd.MailNone, Again: true}); err != nil {
			t.Fatal(err)
		}
	}
	if r, _ := e.Store.LastReport(e.ctx, true); r.Day != "2026-03-04" || !r.MailedAt.Equal(sent) {
		t.Fatalf("last report after older days were made again = %+v; want 2026-03-04's", r)
	}
	rs, _ := e.Store.Reports(e.ctx, "2026-03-02")
	if len(rs) != 4 || rs[0].Leads != 1 || !rs[0].CreatedAt.Before(sent) || rs[0].Partial || !rs[3].Partial || rs[3].Day != "2026-03-05" {
		t.Fatalf("the reports made again: %+v; want 2026-03-02's with 1 lead, made when first made, and 2026-03-05's still partial", rs)
	}

	// The agency stops mailing (no report.mail.to): the daemon's reports,
	// made without mail, are the last ones, not the last one mailed.
	made("2026-03-05", syncd.MailNone)
	made("2026-03-06", syncd.MailNone)
	if r, err := e.Store.LastReport(e.ctx, false); err != nil || r.Day != "2026-03-06" || r.Mail != syncd.MailNone || !r.CreatedAt.Equal(e.now()) {
		t.Fatalf("last report without mail = %+v, %v; want 2026-03-06's, made now", r, err)
	}
	if r, _ := e.Store.LastReport(e.ctx, true); r.Day != "2026-03-04" {
		t.Fatalf("last report with mail = %+v; want 2026-03-04's, the last mailed", r)
	}
	made("2026-03-01", syncd.MailNone) // an older day's, by hand
	partial("2026-03-07", syncd.MailNone)
	if r, _ := e.Store.LastReport(e.ctx, false); r.Day != "2026-03-06" {
		t.Fatalf("last report without mail after an older day's and today's by hand = %+v; want 2026-03-06's", r)
	}
}

// testReportRows checks the report's leads (with CRM status and ids),
// other events and the rows needing attention.
func testReportRows(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	from := e.now()
	synced := e.mapped(in, 1)
	c := e.claim(e.Store, syncd.RecordContact, 1)
	c[0].State, c[0].CRMID = syncd.OpDone, "c-1"
	d, _ := e.Store.FinishAndClaimOps(e.ctx, c, "hubspot", syncd.RecordDeal, 1, time.Minute)
	d[0].State, d[0].CRMID = syncd.OpDone, "d-1"
	e.Store.FinishOps(e.ctx, d)
	pending := e.mapped(in, 2)
	e.advance(time.Second)
	notMapped := e.event(in, "nm")
	un := e.event(in, "un")
	e.Store.RecordMapping(e.ctx, un, syncd.MapUnmappable, "no email", nil)
	ign := e.event(in, "ign")
	e.Store.RecordMapping(e.ctx, ign, syncd.MapIgnored, "", nil)
	imp := incoming("feed")
	imp.Source, imp.Kind, imp.Type = "eaf", syncd.KindEAF, syncd.TypeFeedImport
	feed, _ := in.Store(e.ctx, imp)
	in.Store(e.ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "q", Body: []byte("{"),
		Quarantine: true, Reason: "invalid JSON"})
	to := e.now().Add(time.Second)

	var leads []string
	err := e.Store.EachLead(e.ctx, from, to, "hubspot", func(r *syncd.LeadRow) error {
		leads = append(leads, fmt.Sprintf("%d %s %s %s %s", r.EventID, r.Status, r.Target, r.ContactID, r.DealID))
		if len(r.JSON) == 0 || r.Kind != "lokalebasen" || r.Type != syncd.TypeEnquiryCreated {
			t.Errorf("lead row %+v", r)
		}
		return nil
	})
	want := []string{
		fmt.Sprintf("%d synced hubspot c-1 d-1", synced), fmt.Sprintf("%d pending hubspot  ", pending),
		fmt.Sprintf("%d not mapped   ", notMapped), fmt.Sprintf("%d unmappable   ", un), fmt.Sprintf("%d no CRM   ", ign),
	}
	if err != nil || fmt.Sprintf("%q", leads) != fmt.Sprintf("%q", want) {
		t.Fatalf("leads =\n%q, %v\nwant\n%q", leads, err, want)
	}
	var events []int64
	e.Store.EachEvent(e.ctx, from, to, "eaf", syncd.TypeFeedImport, func(r *syncd.EventRow) error {
		events = append(events, r.EventID)
		return nil
	})
	if len(events) != 1 || events[0] != feed.ID {
		t.Fatalf("feed imports = %v, want [%d]", events, feed.ID)
	}
	var att []string
	e.Store.EachAttention(e.ctx, from, to, func(r *syncd.AttentionRow) error {
		att = append(att, fmt.Sprintf("%s %s %s", r.Kind, r.Detail, r.Reason))
		return nil
	})
	if fmt.Sprint(att) != "[quarantined lokalebasen invalid JSON unmappable enquiry_created no email]" {
		t.Fatalf("attention = %q", att)
	}
	if n := 0; e.Store.EachLead(e.ctx, to, to.Add(time.Hour), "hubspot", func(*syncd.LeadRow) error { n++; return nil }) != nil || n != 0 {
		t.Fatalf("leads outside the range")
	}
}
