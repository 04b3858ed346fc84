package syncer_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// eraseLead erases lead i's person from the database, queueing the CRM
// erase for target, and returns the erase operation. Their email is what
// syncd knows them by, as syncd erase tells the store (Subject.Holds).
func eraseLead(t *testing.T, r *rig, target string, i int) syncd.Op {
	t.Helper()
	s := syncd.Subject{ID: email(i), Keys: []syncd.Key{{Kind: syncd.KeyEmail, Value: email(i)}}, Patterns: []string{email(i)},
		Holds: syncd.PersonKeys{Emails: []string{email(i)}}}
	pd, err := r.db.PersonData(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	er, err := r.db.Erase(context.Background(), s, pd, target)
	if err != nil {
		t.Fatal(err)
	}
	if er.Ops != 2 || er.Links != 2 || er.CRMOps != 1 {
		t.Fatalf("erase: %+v; want 2 ops and 2 links gone, 1 CRM erase queued", er)
	}
	for _, op := range allOps(t, r.db) {
		if op.Kind == syncd.RecordErase {
			return op
		}
	}
	t.Fatal("no erase operation in the outbox")
	return syncd.Op{}
}

func TestHubSpotEraseIsRetriedUntilContactAndDealsAreGone(t *testing.T) {
	t.Parallel()
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, nil)
	enqueueLeads(t, r.db, hubspot.Name, 0, 3)
	r.drain(t, 5)
	gone := r.srv.State().ContactsByEmail[email(1)][0].ID
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/gdpr-delete", Action: crmfake.ActError, Status: 503, Uses: 10})
	op := eraseLead(t, r, hubspot.Name, 1)
	if op.Key != gone {
		t.Fatalf("erase op for %q, want the contact's CRM id %s", op.Key, gone)
	}
	r.drain(t, 10)
	st := r.srv.State()
	if len(st.ContactsByEmail[email(1)]) != 0 || len(st.Contacts) != 2 {
		t.Fatalf("after the erase the CRM holds %d contacts, %v for the erased email", len(st.Contacts), st.ContactsByEmail[email(1)])
	}
	if len(st.DealsByLead[leadID(1)]) != 0 || len(st.Deals) != 2 { // named after the person
		t.Fatalf("after the erase the CRM holds %d deals, %v for the erased lead", len(st.Deals), st.DealsByLead[leadID(1)])
	}
	done, err := r.db.GetOp(context.Background(), op.ID)
	if err != nil || done.State != syncd.OpDone || done.Attempts < 2 {
		t.Fatalf("erase op: %+v, %v; want done after a retry", done, err)
	}
	if l, _ := r.db.Link(context.Background(), hubspot.Name, syncd.RecordContact, email(1)); l != "" {
		t.Fatalf("the erased contact's link came back: %s", l)
	}
}

func TestPipedriveEraseDeletesPersonAndDeals(t *testing.T) {
	t.Parallel()
	r := pipedriveRig(t, crmfake.Options{SearchLag: 10 * time.Millisecond})
	enqueueLeadsWith(t, r.db, pipedrive.Name, 0, 3, func(i int, c, d *syncd.Op) {
		c.Properties["name"] = c.Properties["firstname"]
		d.Properties = map[string]string{"title": d.Properties["dealname"]}
	})
	r.drain(t, 10)
	person := r.srv.State().ContactsByEmail[email(1)][0].ID
	// A deal someone made by hand for the same person goes too.
	r.srv.AddDeal(crmfake.Record{Properties: map[string]string{"title": "by hand"}, ContactIDs: []string{person}})
	r.srv.AddFault(crmfake.Fault{Method: "DELETE", Path: "/api/v2/deals/*", Action: crmfake.ActError, Status: 502, Uses: 1})
	eraseLead(t, r, pipedrive.Name, 1)
	r.drain(t, 10)
	st := r.srv.State()
	if len(st.ContactsByEmail[email(1)]) != 0 || len(st.Contacts) != 2 || len(st.Deals) != 2 {
		t.Fatalf("after the erase the CRM holds %d persons and %d deals; want 2 and 2", len(st.Contacts), len(st.Deals))
	}
	for _, d := range st.Deals {
		if len(d.ContactIDs) > 0 && d.ContactIDs[0] == person {
			t.Fatalf("a deal of the erased person is left: %+v", d)
		}
	}
}

// TestHubSpotEraseFindsADealWrittenButNotRecorded: HubSpot applied a
// lead's deal upsert and answered 502 (apply_then_error), so the deal
// operation stayed pending and syncd had no CRM id for the deal. The
// erasure found the contact by its link and left the deal, which names the
// person; it now looks the deal up by its lead id and deletes it, and
// leaves the other leads' deals.
func TestHubSpotEraseFindsADealWrittenButNotRecorded(t *testing.T) {
	t.Parallel()
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, nil)
	enqueueLeads(t, r.db, hubspot.Name, 0, 2)
	r.drain(t, 5)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: dealsUpsert, Action: crmfake.ActApplyThenError})
	enqueueLeads(t, r.db, hubspot.Name, 2, 3)
	if _, err := r.s.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.srv.ClearFaults()
	if st := r.srv.State(); len(st.DealsByLead[leadID(2)]) != 1 {
		t.Fatalf("the CRM holds %v for lead 2; the case needs its deal written", st.DealsByLead[leadID(2)])
	}
	ctx := context.Background()
	s := syncd.Subject{ID: email(2), Keys: []syncd.Key{{Kind: syncd.KeyEmail, Value: email(2)}}, Patterns: []string{email(2)},
		Holds: syncd.PersonKeys{Emails: []string{email(2)}}}
	pd, err := r.db.PersonData(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	er, err := r.db.Erase(ctx, s, pd, hubspot.Name)
	if err != nil || er.Links != 1 || er.CRMOps != 1 {
		t.Fatalf("erase: %+v, %v; want the contact's link alone gone (the deal's pending), 1 CRM erase queued", er, err)
	}
	r.drain(t, 3)
	st := r.srv.State()
	if len(st.ContactsByEmail[email(2)]) != 0 || len(st.DealsByLead[leadID(2)]) != 0 {
		t.Fatalf("after the erase the CRM holds %v and deals %v for the erased lead",
			st.ContactsByEmail[email(2)], st.DealsByLead[leadID(2)])
	}
	if len(st.Contacts) != 2 || len(st.Deals) != 2 {
		t.Fatalf("after the erase the CRM holds %d contacts and %d deals; want the other leads' 2 and 2", len(st.Contacts), len(st.Deals))
	}
	for _, op := range allOps(t, r.db) {
		if op.Kind == syncd.RecordErase && op.State != syncd.OpDone {
			t.Fatalf("erase op %d: %s, %s", op.ID, op.State, op.LastError)
		}
	}
}
