package syncer_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPhoneOnlyContactDeletedInHubSpotIsMadeAgainAtOnce: a contact known
// by its phone alone, deleted in HubSpot after syncd made it, and a new
// lead from that phone. Its update answered 404, which the adapter made a
// transient error: alone in its call it was taken for a CRM outage, the
// syncer cooling down (every lead held back, status saying every CRM call
// failing) and counting an attempt before making the contact again. The
// contact is now made again in the same call, as one known by email is
// (its upsert makes it anew), and its deal associated with it.
func TestPhoneOnlyContactDeletedInHubSpotIsMadeAgainAtOnce(t *testing.T) {
	t.Parallel()
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, nil)
	const phone = "+4520000001"
	phoneOnly := func(i int, c, d *syncd.Op) {
		c.Key, c.KeyKind, d.ContactKey = phone, syncd.KeyPhone, phone
		c.Properties = map[string]string{"firstname": fmt.Sprint("Phone ", i), "phone": phone}
	}
	ctx := context.Background()
	enqueueLeadsWith(t, r.db, hubspot.Name, 0, 1, phoneOnly)
	if sum, err := r.s.RunOnce(ctx); err != nil || sum.Done != 2 {
		t.Fatalf("first lead: %+v, %v", sum, err)
	}
	old := r.srv.State().ContactsByPhone[phone]
	if len(old) != 1 {
		t.Fatalf("contacts with the phone: %+v", old)
	}
	if err := r.srv.DeleteContact(old[0].ID); err != nil {
		t.Fatal(err)
	}
	enqueueLeadsWith(t, r.db, hubspot.Name, 1, 2, phoneOnly)
	sum, err := r.s.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !sum.CoolingUntil.IsZero() || sum.Done != 2 {
		t.Fatalf("second lead: %+v; want both its operations done, no cool-down", sum)
	}
	st := r.srv.State()
	now := st.ContactsByPhone[phone]
	deal := st.DealsByLead[leadID(1)]
	if len(now) != 1 || now[0].ID == old[0].ID || len(deal) != 1 || len(deal[0].ContactIDs) != 1 || deal[0].ContactIDs[0] != now[0].ID {
		t.Fatalf("contacts with the phone %+v, the lead's deal %+v; want one new contact, the deal associated with it", now, deal)
	}
	ops := opsOfDealsLead(t, r.db, 1)
	if len(ops) != 2 {
		t.Fatalf("lead 1's operations: %+v", ops)
	}
	for _, op := range ops {
		if op.State != syncd.OpDone || op.Attempts != 1 {
			t.Errorf("op %s: %s after %d attempt(s), %q", op.Kind, op.State, op.Attempts, op.LastError)
		}
	}
}

// TestPhoneOnlyContactMergedIsFollowedToItsRecord: a contact known by its
// phone alone, merged in HubSpot into another person's contact, which
// makes a record with a new id that answers for both old ones. The next
// lead from that phone updated the old id, which HubSpot took for the
// merged record, but syncd kept the old id: the contact's operation
// recorded it (the report's CRM id a record that is no more), and every
// deal of that phone was first associated with it, refused, and only then
// read its way to the merged record. The id HubSpot answers is kept.
func TestPhoneOnlyContactMergedIsFollowedToItsRecord(t *testing.T) {
	t.Parallel()
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, nil)
	const phone = "+4520000002"
	phoneOnly := func(i int, c, d *syncd.Op) {
		c.Key, c.KeyKind, d.ContactKey = phone, syncd.KeyPhone, phone
		c.Properties = map[string]string{"firstname": fmt.Sprint("Phone ", i), "phone": phone}
	}
	ctx := context.Background()
	enqueueLeadsWith(t, r.db, hubspot.Name, 0, 1, phoneOnly)
	if sum, err := r.s.RunOnce(ctx); err != nil || sum.Done != 2 {
		t.Fatalf("first lead: %+v, %v", sum, err)
	}
	old := r.srv.State().ContactsByPhone[phone][0].ID
	other := r.srv.AddContact(crmfake.Record{Properties: map[string]string{"email": "kim@example.com", "phone": "+4520000003"}})
	merged, err := r.srv.MergeContacts(other, old)
	if err != nil {
		t.Fatal(err)
	}
	enqueueLeadsWith(t, r.db, hubspot.Name, 1, 2, phoneOnly)
	if sum, err := r.s.RunOnce(ctx); err != nil || sum.Done != 2 {
		t.Fatalf("second lead: %+v, %v", sum, err)
	}
	ops := opsOfDealsLead(t, r.db, 1)
	if len(ops) != 2 || ops[0].Kind != syncd.RecordContact {
		t.Fatalf("lead 1's operations: %+v", ops)
	}
	if ops[0].CRMID != merged {
		t.Errorf("the contact's operation recorded CRM id %s, want the merged record's %s (the old one %s)", ops[0].CRMID, merged, old)
	}
	if link, _ := r.db.Link(ctx, hubspot.Name, syncd.RecordContact, phone); link != merged {
		t.Errorf("the phone is linked to %s, want %s", link, merged)
	}
	if n := r.srv.CountRequests("GET", "/crm/v3/objects/contacts/", 0); n != 0 {
		t.Errorf("%d reads of a contact by id: the deal went through the old id first", n)
	}
}

// opsOfDealsLead returns the ops made from lead i's event, found by its
// deal (opsOfLead finds it by the contact's email), in id order.
func opsOfDealsLead(t testing.TB, db *sqlite.DB, i int) []syncd.Op {
	t.Helper()
	return opsOfEventWith(t, db, syncd.RecordDeal, leadID(i))
}
