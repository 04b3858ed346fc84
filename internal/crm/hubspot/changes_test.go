package hubspot_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// checkPairs fails t unless every result holds the CRM id of its own record
// and every deal is associated with its own contact (lead i with email i).
func checkPairs(t *testing.T, srv *crmfake.Server, cs []syncd.Contact, cr, dr []syncd.Result) {
	t.Helper()
	st := srv.State()
	idOfEmail := map[string]string{}
	for _, c := range st.Contacts {
		idOfEmail[c.Email] = c.ID
	}
	dealOfLead := map[string]crmfake.Record{}
	for _, d := range st.Deals {
		dealOfLead[d.LeadID] = d
	}
	wrong := 0
	for i, c := range cs {
		d := dealOfLead[fmt.Sprintf("L-%05d", i)]
		if cr[i].ID != idOfEmail[c.Email] || dr[i].ID != d.ID || len(d.ContactIDs) != 1 || d.ContactIDs[0] != idOfEmail[c.Email] {
			wrong++
		}
	}
	if wrong > 0 {
		t.Fatalf("%d of %d leads point at the wrong record", wrong, len(cs))
	}
}

// TestShuffledAnswersWithoutEchoAreNotPairedByPosition: the fake answers
// batch upserts in a shuffled order without echoing the id property or the
// trace id; no result may be taken for another input's.
func TestShuffledAnswersWithoutEchoAreNotPairedByPosition(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{NoEcho: true, Seed: 7}, hubspot.Options{})
	cs, ds := leads(300)
	cr, dr := deliver(t, a, cs, ds, 3)
	checkClean(t, srv, 300, cr, dr)
	checkPairs(t, srv, cs, cr, dr)
}

// TestShuffledAnswersWithTraceEchoNeedOneCall: when the answer echoes the
// trace ids, a batch is matched without resending anything.
func TestShuffledAnswersWithTraceEchoNeedOneCall(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{Seed: 7}, hubspot.Options{})
	cs, ds := leads(100)
	cr, dr := deliver(t, a, cs, ds, 1)
	checkClean(t, srv, 100, cr, dr)
	checkPairs(t, srv, cs, cr, dr)
	if n := srv.CountRequests("POST", "/crm/v3/objects/", 0); n != 2 {
		t.Fatalf("%d batch upserts for 100 leads, want 2", n)
	}
}

// TestDeletedAndMergedContactsFailOnlyTheirDeals: after contact 3 is
// deleted and contact 5 merged into 6 in HubSpot, new deals of 3, 5, 6 and
// 7 go in one association call. Deal 7 is not held up; 5 and 6 follow the
// merge to the surviving record; 3 alone answers ErrContactGone and its
// stale link is forgotten.
func TestDeletedAndMergedContactsFailOnlyTheirDeals(t *testing.T) {
	t.Parallel()
	links := &crm.MemLinks{}
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{Links: links})
	cs, ds := leads(10)
	cr, dr := deliver(t, a, cs, ds, 1)
	checkClean(t, srv, 10, cr, dr)
	ctx := context.Background()
	for i, c := range cs {
		_ = links.SetLink(ctx, hubspot.Name, syncd.RecordContact, c.Key, cr[i].ID)
	}
	if err := srv.DeleteContact(cr[3].ID); err != nil {
		t.Fatal(err)
	}
	merged, err := srv.MergeContacts(cr[6].ID, cr[5].ID)
	if err != nil {
		t.Fatal(err)
	}
	var again []syncd.Deal
	for _, i := range []int{3, 5, 6, 7} {
		d := ds[i]
		d.LeadID, d.ContactID = d.LeadID+"-again", cr[i].ID
		again = append(again, d)
	}
	res := a.UpsertDeals(ctx, again)
	want := []string{cr[3].ID, merged, merged, cr[7].ID}
	for j, r := range res {
		if j == 0 {
			if crmtest.Class(r.Err) != syncd.ErrContactGone {
				t.Fatalf("deal of the deleted contact: %v", r.Err)
			}
			continue
		}
		if r.Err != nil {
			t.Fatalf("deal %d: %v", j, r.Err)
		}
		if ids := dealContacts(t, srv, r.ID); len(ids) != 1 || ids[0] != want[j] {
			t.Fatalf("deal %d associated with %v, want %s", j, ids, want[j])
		}
	}
	if id, _ := links.Link(ctx, hubspot.Name, syncd.RecordContact, cs[3].Key); id != "" {
		t.Fatalf("deleted contact still linked to %s", id)
	}
	if id, _ := links.Link(ctx, hubspot.Name, syncd.RecordContact, cs[5].Key); id != merged {
		t.Fatalf("merged contact linked to %s, want %s", id, merged)
	}
}

func dealContacts(t *testing.T, srv *crmfake.Server, id string) []string {
	t.Helper()
	for _, d := range srv.State().Deals {
		if d.ID == id {
			return d.ContactIDs
		}
	}
	t.Fatalf("no deal %s", id)
	return nil
}

// TestUpsertBySecondaryEmailFollowsMerge: once contact 0 is merged into 1,
// its email is a secondary one of the merged record; upserting contact 0
// again updates that record (matched by hs_additional_emails, even without
// an echo) instead of creating a contact.
func TestUpsertBySecondaryEmailFollowsMerge(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{NoEcho: true}, hubspot.Options{})
	cs, _ := leads(3)
	cr := a.UpsertContacts(context.Background(), cs)
	merged, err := srv.MergeContacts(cr[1].ID, cr[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	before := srv.CountRequests("POST", "/crm/v3/objects/contacts/batch/upsert", 0)
	again := a.UpsertContacts(context.Background(), []syncd.Contact{cs[0], cs[2]})
	if again[0].Err != nil || again[0].ID != merged || again[1].ID != cr[2].ID {
		t.Fatalf("upsert of the absorbed email: %+v, want id %s", again, merged)
	}
	if n := srv.CountRequests("POST", "/crm/v3/objects/contacts/batch/upsert", 0) - before; n != 1 {
		t.Fatalf("%d batch requests, want 1: the merged record is known by its secondary email", n)
	}
	if st := srv.State(); len(st.Contacts) != 2 {
		t.Fatalf("%d contacts, want 2 (merged and the third)", len(st.Contacts))
	}
}
