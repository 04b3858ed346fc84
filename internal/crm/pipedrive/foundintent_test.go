package pipedrive_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestRecordFoundAfterALostCreateEndsItsIntent: a person (or deal)
// created, its answer lost (the daemon killed, say), is found by the next
// attempt's search (or among its person's deals) and linked, but the
// create's intent stayed recorded. When the person was later deleted in
// Pipedrive and enquired again, the new create went through that old
// intent: the recent persons list was read back to when it was sent, and
// with more than 2,000 persons added since, it could not be read that far,
// so the create stayed in doubt, alarmed and never made the person. Now a
// record found so ends its intent, as one found by the guard's own recheck
// did, and the person is made again at once.
func TestRecordFoundAfterALostCreateEndsItsIntent(t *testing.T) {
	t.Parallel()
	srv, a, links := setup(t, crmfake.Options{}, pipedrive.Options{})
	ctx := context.Background()
	cs, ds := crmtest.Leads(1)
	srv.AddFault(crmfake.Fault{Method: "POST", Path: "/api/v2/persons", Action: crmfake.ActApplyThenDrop, Uses: 1})
	srv.AddFault(crmfake.Fault{Method: "POST", Path: "/api/v2/deals", Action: crmfake.ActApplyThenDrop, Uses: 1})
	if cr, dr := deliver(t, a, cs, ds); failing(cr) || failing(dr) {
		t.Fatalf("not delivered: %+v %+v", cr, dr)
	}
	if n := crmtest.Fired(srv); n != 2 {
		t.Fatalf("%d answers lost, want 2 (the person's and the deal's)", n)
	}
	if c, d := srv.Count(); c != 1 || d != 1 {
		t.Fatalf("%d persons and %d deals, want one each", c, d)
	}
	for _, k := range []struct {
		kind syncd.RecordKind
		key  string
	}{{syncd.RecordContact, cs[0].Key}, {syncd.RecordDeal, ds[0].LeadID}} {
		if sent, _ := links.Intent(ctx, pipedrive.Name, k.kind, k.key); !sent.IsZero() {
			t.Errorf("the %s's create intent (sent %s) is still recorded after it was found and linked", k.kind, sent.Format("15:04:05.000"))
		}
	}

	madeAgainAfterDeletion(t, srv, a, links, cs)
}

// TestStaleLinkEndsItsIntent: a person created and linked whose create
// intent stayed recorded (the daemon killed between the link's write and
// the intent's clearing, or the clearing failed: a store busy or a
// PostgreSQL failover) was deleted in Pipedrive and enquired again. The
// update found the link stale (404) and cleared it, but not the intent
// (HubSpot's adapter clears both): the new create went through that old
// intent, the recent persons list could not be read back to it past 2,000
// newer persons, and the create stayed in doubt for good, alarmed every
// settle time and never made the person. A stale link now ends its intent
// too: the record it names was made and is gone, so no earlier create can
// still be on its way.
func TestStaleLinkEndsItsIntent(t *testing.T) {
	t.Parallel()
	srv, a, links := setup(t, crmfake.Options{}, pipedrive.Options{})
	ctx := context.Background()
	cs, ds := crmtest.Leads(1)
	if cr, dr := deliver(t, a, cs, ds); failing(cr) || failing(dr) {
		t.Fatalf("not delivered: %+v %+v", cr, dr)
	}
	if err := links.SetIntent(ctx, pipedrive.Name, syncd.RecordContact, cs[0].Key, time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err) // left behind, as by a kill between the link and the clearing
	}
	madeAgainAfterDeletion(t, srv, a, links, cs)
}

// madeAgainAfterDeletion deletes the lead's linked person in Pipedrive,
// adds more persons than the recent list is read back past, and fails t
// unless the next upsert makes the person again, once, within 2 s.
func madeAgainAfterDeletion(t *testing.T, srv *crmfake.Server, a *pipedrive.Adapter, links *crm.MemLinks, cs []syncd.Contact) {
	t.Helper()
	ctx := context.Background()
	person, _ := links.Link(ctx, pipedrive.Name, syncd.RecordContact, cs[0].Key)
	pdCall(t, srv, "DELETE", "/persons/"+person, "")
	for i := range 2001 { // the persons list cannot be read back past these
		srv.AddContact(crmfake.Record{Email: fmt.Sprintf("other%04d@example.com", i), Properties: map[string]string{"name": "Other"}})
	}
	// The link found stale, then a new person; an intent would hold it
	// back a settle time (100 ms) first, then for good.
	var last error
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if last = a.UpsertContacts(ctx, cs)[0].Err; last == nil {
			break
		}
	}
	if last != nil {
		t.Fatalf("the person deleted in Pipedrive was not made again in 2 s: %v", last)
	}
	if n := len(srv.State().ContactsByEmail[cs[0].Email]); n != 1 {
		t.Fatalf("%d persons with the lead's email, want 1", n)
	}
}
