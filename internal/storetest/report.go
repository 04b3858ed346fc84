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
	if err := e.Store.SetMailState(e.ctx, "2026-03-01", syncd.MailSent, 1, ""); err != nil {
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
	if err := e.Store.SetMailState(e.ctx, "2020-01-01", syncd.MailFailed, 3, "x"); err == nil {
		t.Fatal("mail state of no report accepted")
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
	err := e.Store.EachLead(e.ctx, from, to, func(r *syncd.LeadRow) error {
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
	if n := 0; e.Store.EachLead(e.ctx, to, to.Add(time.Hour), func(*syncd.LeadRow) error { n++; return nil }) != nil || n != 0 {
		t.Fatalf("leads outside the range")
	}
}
