package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testReportFollowsTheConfiguredCRM: after crm.kind changed (hubspot to
// pipedrive) and the leads were replayed, a lead's report status, target
// and ids come from its operations for the configured CRM: one that
// reached pipedrive is synced there, though its HubSpot operations are
// still pending or dead; one pipedrive refused is dead, though HubSpot has
// it. A lead never replayed shows the operations it has; one never mapped
// is not mapped; with no CRM named, every operation counts, as before.
func testReportFollowsTheConfiguredCRM(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	from := e.now()
	reached := e.mapped(in, 1)     // hubspot ops left pending, then reached pipedrive
	refused := e.mapped(in, 2)     // reached hubspot, then pipedrive refused it
	notReplayed := e.mapped(in, 3) // hubspot ops only, pending
	c := e.claim(e.Store, syncd.RecordContact, 3)
	for i := range c {
		if c[i].EventID == refused {
			c[i].State, c[i].CRMID = syncd.OpDone, "hc-2"
		} else {
			c[i].State, c[i].LastError = syncd.OpPending, "429 rate limited"
		}
	}
	if err := e.Store.FinishOps(e.ctx, c); err != nil {
		t.Fatal(err)
	}
	e.advance(time.Second)
	notMapped := e.event(in, "never-mapped")
	for _, ev := range []int64{reached, refused} {
		i := 1
		if ev == refused {
			i = 2
		}
		pd := lead(ev, i)
		for j := range pd {
			pd[j].Target = "pipedrive"
		}
		if n, err := e.Store.RecordMapping(e.ctx, ev, syncd.MapMapped, "", pd); err != nil || n != 2 {
			t.Fatalf("replay to pipedrive: %d, %v", n, err)
		}
	}
	pc, err := e.Store.FinishAndClaimOps(e.ctx, nil, "pipedrive", syncd.RecordContact, 10, time.Minute)
	if err != nil || len(pc) != 2 {
		t.Fatalf("claim pipedrive contacts: %d, %v", len(pc), err)
	}
	for i := range pc {
		if pc[i].EventID == reached {
			pc[i].State, pc[i].CRMID = syncd.OpDone, "pc-1"
		} else {
			pc[i].State, pc[i].LastError = syncd.OpDead, "400 invalid email"
		}
	}
	pd, err := e.Store.FinishAndClaimOps(e.ctx, pc, "pipedrive", syncd.RecordDeal, 10, time.Minute)
	if err != nil || len(pd) != 2 {
		t.Fatalf("claim pipedrive deals: %d, %v", len(pd), err)
	}
	for i := range pd {
		if pd[i].EventID == reached {
			pd[i].State, pd[i].CRMID = syncd.OpDone, "pd-1"
		} else {
			pd[i].State, pd[i].LastError = syncd.OpDead, "contact refused"
		}
	}
	if err := e.Store.FinishOps(e.ctx, pd); err != nil {
		t.Fatal(err)
	}
	to := e.now().Add(time.Second)

	leads := func(crm string) []string {
		t.Helper()
		var out []string
		err := e.Store.EachLead(e.ctx, from, to, crm, func(r *syncd.LeadRow) error {
			out = append(out, fmt.Sprintf("%d %s %s %s %s", r.EventID, r.Status, r.Target, r.ContactID, r.DealID))
			return nil
		})
		if err != nil {
			t.Fatalf("leads for %q: %v", crm, err)
		}
		return out
	}
	want := []string{
		fmt.Sprintf("%d synced pipedrive pc-1 pd-1", reached),
		fmt.Sprintf("%d dead pipedrive  ", refused),
		fmt.Sprintf("%d pending hubspot  ", notReplayed),
		fmt.Sprintf("%d not mapped   ", notMapped),
	}
	if got := leads("pipedrive"); fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Errorf("leads with pipedrive configured =\n%q\nwant\n%q", got, want)
	}
	want = []string{
		fmt.Sprintf("%d pending hubspot  ", reached),
		fmt.Sprintf("%d pending hubspot hc-2 ", refused), // its deal not yet sent
		fmt.Sprintf("%d pending hubspot  ", notReplayed),
		fmt.Sprintf("%d not mapped   ", notMapped),
	}
	if got := leads("hubspot"); fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Errorf("leads with hubspot configured =\n%q\nwant\n%q", got, want)
	}
	want = []string{
		fmt.Sprintf("%d pending hubspot pc-1 pd-1", reached),
		fmt.Sprintf("%d dead hubspot hc-2 ", refused),
		fmt.Sprintf("%d pending hubspot  ", notReplayed),
		fmt.Sprintf("%d not mapped   ", notMapped),
	}
	if got := leads(""); fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Errorf("leads with no CRM named =\n%q\nwant\n%q", got, want)
	}
	dry := leads("dryrun")
	if len(dry) != 4 || dry[0] != want[0] || dry[3] != want[3] {
		t.Errorf("leads with the dry run configured (no operation for it) = %q; want as with none named", dry)
	}
}

// testReportShowsTheReasonAndTheContactSent: a lead's row carries the last
// error of its newest operation not done (why it failed or still waits:
// the report shows it under the status) and the properties of its newest
// contact operation (the Leads sheet shows the values as syncd sent them:
// cleaned email, E.164 phone).
func testReportShowsTheReasonAndTheContactSent(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	from := e.now()
	failed := e.mapped(in, 1)
	waiting := e.mapped(in, 2)
	c := e.claim(e.Store, syncd.RecordContact, 2)
	for i := range c {
		if c[i].EventID == failed {
			c[i].State, c[i].LastError = syncd.OpDead, "400 INVALID_EMAIL"
		} else {
			c[i].State, c[i].LastError = syncd.OpPending, "429 rate limited"
		}
	}
	if err := e.Store.FinishOps(e.ctx, c); err != nil {
		t.Fatal(err)
	}
	to := e.now().Add(time.Second)
	var got []string
	err := e.Store.EachLead(e.ctx, from, to, "hubspot", func(r *syncd.LeadRow) error {
		got = append(got, fmt.Sprintf("%d %s %q %s", r.EventID, r.Status, r.OpError, r.Contact))
		return nil
	})
	want := []string{
		fmt.Sprintf(`%d dead "400 INVALID_EMAIL" {"email":"lead1@example.com"}`, failed),
		fmt.Sprintf(`%d pending "429 rate limited" {"email":"lead2@example.com"}`, waiting),
	}
	if err != nil || fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Fatalf("leads =\n%q, %v\nwant\n%q", got, err, want)
	}
}

// testReportNamesTheContactOfAReturningClient: a client's second lead
// whose contact is as the first one's (the same email, the same values)
// has no contact operation of its own (the first one's stands for it), and
// its deal went to that contact. The report's Contact column was empty for
// it, so the returning client, the one a salesperson looks up first, had no
// link to their person; it names the contact the deal's contact key is
// linked to now. A contact not yet linked (not sent yet) is still none.
func testReportNamesTheContactOfAReturningClient(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	from := e.now()
	first := e.mapped(in, 1)
	second := e.event(in, "lead-key-1-again")
	ops := lead(second, 1)
	ops[1].Key = "lead-again"
	if n, err := e.Store.RecordMapping(e.ctx, second, syncd.MapMapped, "", ops); err != nil || n != 1 {
		t.Fatalf("record the second lead's mapping: %d operation(s), %v; want its deal alone", n, err)
	}
	notSent := e.mapped(in, 2)
	c, err := e.Store.FinishAndClaimOps(e.ctx, nil, "hubspot", syncd.RecordContact, 1, time.Minute)
	if err != nil || len(c) != 1 || c[0].EventID != first {
		t.Fatalf("claim the first contact: %+v, %v", c, err)
	}
	c[0].State, c[0].CRMID = syncd.OpDone, "c-1"
	d, err := e.Store.FinishAndClaimOps(e.ctx, c, "hubspot", syncd.RecordDeal, 2, time.Minute)
	if err != nil || len(d) != 2 {
		t.Fatalf("claim the deals: %+v, %v", d, err)
	}
	for i := range d {
		d[i].State, d[i].CRMID = syncd.OpDone, fmt.Sprint("d-", d[i].EventID)
	}
	if err := e.Store.FinishOps(e.ctx, d); err != nil {
		t.Fatal(err)
	}
	to := e.now().Add(time.Second)
	var leads []string
	err = e.Store.EachLead(e.ctx, from, to, "hubspot", func(r *syncd.LeadRow) error {
		leads = append(leads, fmt.Sprintf("%d %s %s %s", r.EventID, r.Status, r.ContactID, r.DealID))
		return nil
	})
	want := []string{fmt.Sprintf("%d synced c-1 d-%d", first, first), fmt.Sprintf("%d synced c-1 d-%d", second, second),
		fmt.Sprintf("%d pending  ", notSent)}
	if err != nil || fmt.Sprintf("%q", leads) != fmt.Sprintf("%q", want) {
		t.Fatalf("leads =\n%q, %v\nwant\n%q", leads, err, want)
	}
}
