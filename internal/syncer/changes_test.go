package syncer_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// enqueueDeal adds a new deal for lead i's contact (a second enquiry of
// the same person): only the deal is new, the contact's operation is the
// same work as before and is not enqueued again.
func enqueueDeal(t *testing.T, r *rig, i int, lead string) {
	t.Helper()
	var ev int64
	target := hubspot.Name
	for _, op := range allOps(t, r.db) {
		if op.Key == email(i) {
			ev, target = op.EventID, op.Target
		}
	}
	ops := leadOps(ev, target, i)
	ops[1].Key = lead
	if n, err := r.db.RecordMapping(context.Background(), ev, syncd.MapMapped, "", ops); err != nil || n != 1 {
		t.Fatalf("enqueue = %d, %v; want only the deal", n, err)
	}
}

// crmIDs maps each operation's key to the CRM id the outbox recorded.
func crmIDs(t *testing.T, r *rig) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for _, op := range allOps(t, r.db) {
		ids[op.Key] = op.CRMID
	}
	return ids
}

// TestContactDeletedOrMergedInCRM: after the first sync, a person deletes
// contact 1 in HubSpot and merges contact 2 into 3; then leads 1, 2 and 0
// enquire again. Contact 1 is written again (it is gone) and its new deal
// associated with it; lead 2's deal follows the merge instead of making a
// new contact; lead 0 is not held up. Nothing is dead.
func TestContactDeletedOrMergedInCRM(t *testing.T) {
	t.Parallel()
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, nil)
	enqueueLeads(t, r.db, hubspot.Name, 0, 4)
	r.drain(t, 5)
	ids := crmIDs(t, r)
	if err := r.srv.DeleteContact(ids[email(1)]); err != nil {
		t.Fatal(err)
	}
	merged, err := r.srv.MergeContacts(ids[email(3)], ids[email(2)])
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{1, 2, 0} {
		enqueueDeal(t, r, i, leadID(i)+"-again")
	}
	if sum := r.drain(t, 6); sum.Dead != 0 {
		t.Fatalf("%d dead", sum.Dead)
	}
	st := r.srv.State()
	if len(st.Contacts) != 3 || len(st.Duplicates()) != 0 {
		t.Fatalf("contacts %+v", st.Contacts)
	}
	recreated := st.ContactsByEmail[email(1)]
	if len(recreated) != 1 || recreated[0].ID == ids[email(1)] {
		t.Fatalf("contact 1 not written again: %+v", recreated)
	}
	want := map[string]string{leadID(1) + "-again": recreated[0].ID, leadID(2) + "-again": merged, leadID(0) + "-again": ids[email(0)]}
	for lead, cid := range want {
		if d := st.DealsByLead[lead]; len(d) != 1 || len(d[0].ContactIDs) != 1 || d[0].ContactIDs[0] != cid {
			t.Fatalf("deal %s: %+v, want contact %s", lead, d, cid)
		}
	}
	links, err := r.db.LinksFor(context.Background(), hubspot.Name, syncd.RecordContact, []string{email(1), email(2)})
	if err != nil || links[email(1)] != recreated[0].ID || links[email(2)] != merged {
		t.Fatalf("links %v, %v", links, err)
	}
}

// TestPipedrivePersonDeletedInCRM: after the first sync, a salesperson
// deletes lead 1's person in Pipedrive; then leads 1 and 0 enquire again
// with the same details (only their deals are new). Lead 1's person is
// written again and the new deal goes to it; nothing is dead. (It was a
// dead letter, "crm 400: Person not found": the deal was created with the
// deleted person's id.)
func TestPipedrivePersonDeletedInCRM(t *testing.T) {
	t.Parallel()
	r := pipedriveRig(t, crmfake.Options{})
	enqueueLeads(t, r.db, pipedrive.Name, 0, 3)
	r.drain(t, 8)
	ids := crmIDs(t, r)
	deletePerson(t, r, ids[email(1)])
	for _, i := range []int{1, 0} {
		enqueueDeal(t, r, i, leadID(i)+"-again")
	}
	if sum := r.drain(t, 8); sum.Dead != 0 {
		t.Fatalf("%d dead: %v", sum.Dead, countStates(allOps(t, r.db)))
	}
	st := r.srv.State()
	again := st.ContactsByEmail[email(1)]
	if len(again) != 1 || again[0].ID == ids[email(1)] {
		t.Fatalf("person 1 not written again: %+v", again)
	}
	want := map[string]string{leadID(1) + "-again": again[0].ID, leadID(0) + "-again": ids[email(0)]}
	for lead, pid := range want {
		if d := st.DealsByLead[lead]; len(d) != 1 || len(d[0].ContactIDs) != 1 || d[0].ContactIDs[0] != pid {
			t.Fatalf("deal %s: %+v, want person %s", lead, d, pid)
		}
	}
}

// TestPipedrivePersonInTheTrashIsWrittenAgain: a salesperson deletes lead
// 1's person in Pipedrive, which keeps it in its trash for 30 days and
// refuses edits of it; then lead 1 enquires again with details of its own
// (a new deal, and the person's update). The update was refused (400) and
// dead-lettered as the lead's fault, its deal dead with it: the lead never
// reached Pipedrive. The person is now found deleted and written again,
// the new deal going to it; nothing is dead, no duplicate.
func TestPipedrivePersonInTheTrashIsWrittenAgain(t *testing.T) {
	t.Parallel()
	r := pipedriveRig(t, crmfake.Options{SoftDeletePersons: true})
	enqueueLeads(t, r.db, pipedrive.Name, 0, 2)
	r.drain(t, 8)
	ids := crmIDs(t, r)
	deletePerson(t, r, ids[email(1)])
	var ev int64
	for _, op := range allOps(t, r.db) {
		if op.Key == email(1) {
			ev = op.EventID
		}
	}
	ops := leadOps(ev, pipedrive.Name, 1)
	ops[0].Properties["firstname"] = "Lead 1, enquiring again"
	ops[1].Key = leadID(1) + "-again"
	if n, err := r.db.RecordMapping(context.Background(), ev, syncd.MapMapped, "", ops); err != nil || n != 2 {
		t.Fatalf("enqueue = %d, %v; want the person's update and the deal", n, err)
	}
	if sum := r.drain(t, 8); sum.Dead != 0 {
		t.Fatalf("%d dead: %v", sum.Dead, countStates(allOps(t, r.db)))
	}
	st := r.srv.State()
	again := st.ContactsByEmail[email(1)]
	if len(again) != 1 || again[0].ID == ids[email(1)] || len(st.Duplicates()) != 0 {
		t.Fatalf("person 1 not written again once: %+v (duplicates %v)", again, st.Duplicates())
	}
	if d := st.DealsByLead[leadID(1)+"-again"]; len(d) != 1 || len(d[0].ContactIDs) != 1 || d[0].ContactIDs[0] != again[0].ID {
		t.Fatalf("deal %+v, want person %s", d, again[0].ID)
	}
}

// TestPipedrivePersonMergedInCRM: a salesperson merges lead 1's person into
// lead 2's; lead 1 enquires again (only the deal is new). The deal goes to
// the surviving person, found by lead 1's email: no new person, nothing
// dead.
func TestPipedrivePersonMergedInCRM(t *testing.T) {
	t.Parallel()
	r := pipedriveRig(t, crmfake.Options{})
	enqueueLeads(t, r.db, pipedrive.Name, 0, 3)
	r.drain(t, 8)
	ids := crmIDs(t, r)
	if err := r.srv.MergePersons(ids[email(1)], ids[email(2)]); err != nil {
		t.Fatal(err)
	}
	enqueueDeal(t, r, 1, leadID(1)+"-again")
	if sum := r.drain(t, 8); sum.Dead != 0 {
		t.Fatalf("%d dead: %v", sum.Dead, countStates(allOps(t, r.db)))
	}
	st := r.srv.State()
	if len(st.Contacts) != 2 {
		t.Fatalf("persons %+v", st.Contacts)
	}
	if d := st.DealsByLead[leadID(1)+"-again"]; len(d) != 1 || len(d[0].ContactIDs) != 1 || d[0].ContactIDs[0] != ids[email(2)] {
		t.Fatalf("deal %+v, want person %s", d, ids[email(2)])
	}
}

// deletePerson deletes person id in the stand-in Pipedrive, as a
// salesperson does in its web app.
func deletePerson(t *testing.T, r *rig, id string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, r.srv.BaseURL()+"/persons/"+id, nil)
	req.Header.Set("x-api-token", fakeToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("delete person: %v %v", resp, err)
	}
	resp.Body.Close()
}
