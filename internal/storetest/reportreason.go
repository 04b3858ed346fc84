package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testReportReasonIsTheContacts: a lead whose contact the CRM refused has
// its deal dead-lettered after it, as "contact not in CRM: its contact
// operation is dead". The Leads sheet showed that, the newest operation's
// error, as the lead's reason: true, but it does not say what to fix. The
// reason is the contact's error, which does; a deal's own error is shown
// when its contact went through.
func testReportReasonIsTheContacts(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	from := e.now()
	refused := e.mapped(in, 1)
	dealRefused := e.mapped(in, 2)
	c := e.claim(e.Store, syncd.RecordContact, 2)
	for i := range c {
		c[i].State, c[i].CRMID = syncd.OpDone, fmt.Sprint("c-", c[i].EventID)
		if c[i].EventID == refused {
			c[i].State, c[i].CRMID, c[i].LastError = syncd.OpDead, "", "400 INVALID_EMAIL"
		}
	}
	e.advance(time.Second)
	d, err := e.Store.FinishAndClaimOps(e.ctx, c, "hubspot", syncd.RecordDeal, 2, time.Minute)
	if err != nil || len(d) != 2 {
		t.Fatalf("deals claimed: %+v, %v", d, err)
	}
	for i := range d {
		d[i].State, d[i].LastError = syncd.OpDead, "400 INVALID_DEAL_STAGE"
		if d[i].EventID == refused {
			d[i].DeadCause, d[i].LastError = syncd.DeadNoContact, "contact not in CRM: its contact operation is dead"
		}
	}
	if err := e.Store.FinishOps(e.ctx, d); err != nil {
		t.Fatal(err)
	}
	var got []string
	err = e.Store.EachLead(e.ctx, from, e.now().Add(time.Second), "hubspot", func(r *syncd.LeadRow) error {
		got = append(got, fmt.Sprintf("%d %s %q", r.EventID, r.Status, r.OpError))
		return nil
	})
	want := []string{
		fmt.Sprintf(`%d dead "400 INVALID_EMAIL"`, refused),
		fmt.Sprintf(`%d dead "400 INVALID_DEAL_STAGE"`, dealRefused),
	}
	if err != nil || fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Fatalf("leads =\n%q, %v\nwant\n%q", got, err, want)
	}
}
