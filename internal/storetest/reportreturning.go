package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testReturningLeadShowsItsContact: a client's second lead, its contact
// unchanged, queues no contact operation (the same one is in the outbox
// already), and the report's Leads sheet showed its phone as the sender
// wrote it ("52 25 05 59") where every other lead's is the E.164 syncd
// sent ("+4552250559"). Such a lead's row now has the contact's properties
// as syncd last sent them before its deal: not those of a later lead that
// changed the contact; a lead with a contact operation of its own keeps
// its own.
func testReturningLeadShowsItsContact(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	from := e.now()
	ops := func(ev int64, deal, phone string) []syncd.Op {
		return []syncd.Op{
			{EventID: ev, Target: "hubspot", Kind: syncd.RecordContact, Key: "angela@example.com", KeyKind: syncd.KeyEmail,
				Properties: map[string]string{"email": "angela@example.com", "phone": phone}, MappingFile: "lb.yaml", MappingHash: "h1"},
			{EventID: ev, Target: "hubspot", Kind: syncd.RecordDeal, Key: deal, ContactKey: "angela@example.com",
				Properties: map[string]string{"dealname": deal}, MappingFile: "lb.yaml", MappingHash: "h1"},
		}
	}
	record := func(key, deal, phone string, want int) int64 {
		t.Helper()
		ev := e.event(in, key)
		if n, err := e.Store.RecordMapping(e.ctx, ev, syncd.MapMapped, "", ops(ev, deal, phone)); err != nil || n != want {
			t.Fatalf("record mapping of %s: %d ops, %v; want %d", key, n, err, want)
		}
		e.advance(time.Second)
		return ev
	}
	first := record("first", "deal-1", "+4552250559", 2)
	c := e.claim(e.Store, syncd.RecordContact, 1)
	c[0].State, c[0].CRMID = syncd.OpDone, "c-1"
	if err := e.Store.FinishOps(e.ctx, c); err != nil {
		t.Fatal(err)
	}
	again := record("again", "deal-2", "+4552250559", 1) // the same contact: its deal alone
	moved := record("moved", "deal-3", "+4599887766", 2) // a new phone: a contact operation of its own
	to := e.now().Add(time.Second)

	var got []string
	err := e.Store.EachLead(e.ctx, from, to, "hubspot", func(r *syncd.LeadRow) error {
		got = append(got, fmt.Sprintf("%d %s %s", r.EventID, r.ContactID, r.Contact))
		return nil
	})
	want := []string{
		fmt.Sprintf(`%d c-1 {"email":"angela@example.com","phone":"+4552250559"}`, first),
		fmt.Sprintf(`%d c-1 {"email":"angela@example.com","phone":"+4552250559"}`, again),
		fmt.Sprintf(`%d c-1 {"email":"angela@example.com","phone":"+4599887766"}`, moved),
	}
	if err != nil || fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Fatalf("leads =\n%q, %v\nwant\n%q", got, err, want)
	}
}

// testRemadeContactShowsItsNewID: a contact deleted in the CRM is made
// again by its person's next lead (a create, a new CRM id, the link moved
// to it). The report's rows of that person's earlier leads kept the id
// their own contact operation had got, the deleted record's: an operator
// who looked it up in the CRM found nothing. Every lead of the person now
// shows the contact's id as linked now; a lead whose contact has no link
// any more (the retention dropped it) keeps the id its operation got.
func testRemadeContactShowsItsNewID(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	from := e.now()
	ops := func(ev int64, key, deal, phone string) []syncd.Op {
		return []syncd.Op{
			{EventID: ev, Target: "hubspot", Kind: syncd.RecordContact, Key: key, KeyKind: syncd.KeyEmail,
				Properties: map[string]string{"email": key, "phone": phone}, MappingFile: "lb.yaml", MappingHash: "h1"},
			{EventID: ev, Target: "hubspot", Kind: syncd.RecordDeal, Key: deal, ContactKey: key,
				Properties: map[string]string{"dealname": deal}, MappingFile: "lb.yaml", MappingHash: "h1"},
		}
	}
	deliver := func(key, contactKey, deal, phone, contactID string) int64 {
		t.Helper()
		ev := e.event(in, key)
		if n, err := e.Store.RecordMapping(e.ctx, ev, syncd.MapMapped, "", ops(ev, contactKey, deal, phone)); err != nil || n != 2 {
			t.Fatalf("record mapping of %s: %d ops, %v", key, n, err)
		}
		c := e.claim(e.Store, syncd.RecordContact, 1)
		if len(c) != 1 || c[0].EventID != ev {
			t.Fatalf("claim the contact of %s: %+v", key, c)
		}
		c[0].State, c[0].CRMID = syncd.OpDone, contactID
		d, err := e.Store.FinishAndClaimOps(e.ctx, c, "hubspot", syncd.RecordDeal, 1, time.Minute)
		if err != nil || len(d) != 1 {
			t.Fatalf("claim the deal of %s: %+v, %v", key, d, err)
		}
		d[0].State, d[0].CRMID = syncd.OpDone, "d-"+deal
		if err := e.Store.FinishOps(e.ctx, d); err != nil {
			t.Fatal(err)
		}
		e.advance(time.Second)
		return ev
	}
	first := deliver("first", "angela@example.com", "1", "+4552250559", "c-deleted")
	again := deliver("again", "angela@example.com", "2", "+4599887766", "c-remade") // c-deleted gone: made anew
	other := deliver("other", "bo@example.com", "3", "+4512345678", "c-bo")
	if err := e.Store.SetLink(e.ctx, "hubspot", syncd.RecordContact, "bo@example.com", ""); err != nil {
		t.Fatal(err) // its link dropped, as the retention does
	}
	to := e.now().Add(time.Second)

	var got []string
	err := e.Store.EachLead(e.ctx, from, to, "hubspot", func(r *syncd.LeadRow) error {
		got = append(got, fmt.Sprintf("%d %s %s", r.EventID, r.ContactID, r.DealID))
		return nil
	})
	want := []string{
		fmt.Sprintf("%d c-remade d-1", first),
		fmt.Sprintf("%d c-remade d-2", again),
		fmt.Sprintf("%d c-bo d-3", other),
	}
	if err != nil || fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Fatalf("leads =\n%q, %v\nwant\n%q", got, err, want)
	}
}
