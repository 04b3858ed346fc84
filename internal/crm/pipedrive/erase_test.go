package pipedrive_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// janeKeys are what syncd knows as Jane's: her two emails and her number
// (the digits Subject.Phones gives for +45 20 12 34 56).
var janeKeys = syncd.PersonKeys{Emails: []string{"jane@x.dk", "work@x.dk"},
	Phones: []string{"004520123456", "20123456", "4520123456"}}

// addPerson adds a person by hand, as a salesperson would, with a deal.
func addPerson(t *testing.T, srv *crmfake.Server, name string, e crmfake.Edit) string {
	t.Helper()
	id := srv.AddContact(crmfake.Record{Properties: map[string]string{"name": name}})
	if err := srv.EditContact(id, e); err != nil {
		t.Fatal(err)
	}
	srv.AddDeal(crmfake.Record{Properties: map[string]string{"title": "deal of " + name}, ContactIDs: []string{id}})
	return id
}

// TestEraseHoldersReachesEveryPersonWithTheKey: the person syncd linked may
// be gone and the person added again by hand (Pipedrive keeps no email
// unique, so more than once): EraseHolders erases every person holding the
// email, or the phone, now, with their deals, and no one else.
func TestEraseHoldersReachesEveryPersonWithTheKey(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	addPerson(t, srv, "Jane", crmfake.Edit{Emails: []string{"jane@x.dk"}})
	addPerson(t, srv, "J. Doe", crmfake.Edit{Emails: []string{"work@x.dk", "Jane@X.dk"}, Phones: []string{"20 12 34 56"}})
	addPerson(t, srv, "Jane", crmfake.Edit{Phones: []string{"+4520123456"}})
	bob := addPerson(t, srv, "Bob", crmfake.Edit{Emails: []string{"bob@x.dk"}, Phones: []string{"+4531987654"}})
	ctx := context.Background()
	for _, key := range []string{"jane@x.dk", "+4520123456"} {
		if ok, err := a.EraseHolders(ctx, key, janeKeys); !ok || err != nil {
			t.Fatalf("EraseHolders(%s): %v, %v", key, ok, err)
		}
	}
	st := srv.State()
	if len(st.Contacts) != 1 || st.Contacts[0].ID != bob {
		t.Fatalf("persons left: %+v; want only %s", st.Contacts, bob)
	}
	if len(st.Deals) != 1 || !slices.Equal(st.Deals[0].ContactIDs, []string{bob}) {
		t.Fatalf("deals left: %+v; want only the other person's", st.Deals)
	}
	if ok, err := a.EraseHolders(ctx, "jane@x.dk", janeKeys); !ok || err != nil {
		t.Fatalf("EraseHolders again: %v, %v; want nothing to do", ok, err)
	}
}

// TestEraseHoldersReadsEverySearchPage: a shared address a firm's
// enquiries all came from (info@), a person made for each by another
// integration: more persons hold it than one page of Pipedrive's search
// holds (100). EraseHolders read the first page alone and said the
// erasure done with the rest left holding the subject's email; it reads
// every page.
func TestEraseHoldersReadsEverySearchPage(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	const key, n = "info@firm.dk", 130
	for range n {
		id := srv.AddContact(crmfake.Record{Properties: map[string]string{"name": "Firm"}})
		if err := srv.EditContact(id, crmfake.Edit{Emails: []string{key}}); err != nil {
			t.Fatal(err)
		}
	}
	bob := addPerson(t, srv, "Bob", crmfake.Edit{Emails: []string{"bob@x.dk"}})
	if ok, err := a.EraseHolders(context.Background(), key, syncd.PersonKeys{Emails: []string{key}}); !ok || err != nil {
		t.Fatalf("EraseHolders: %v, %v", ok, err)
	}
	if st := srv.State(); len(st.Contacts) != 1 || st.Contacts[0].ID != bob {
		t.Fatalf("%d persons left of %d holding %s and Bob; want only Bob", len(st.Contacts), n, key)
	}
}

// mergePerson merges Pipedrive person id into into, as a salesperson does
// (PUT /api/v1/persons/{id}/merge): into survives, with id's emails,
// phones and deals.
func mergePerson(t *testing.T, srv *crmfake.Server, id, into string) {
	t.Helper()
	root := strings.TrimSuffix(srv.BaseURL(), "/api/v2")
	req, _ := http.NewRequest(http.MethodPut, root+"/api/v1/persons/"+id+"/merge", strings.NewReader(`{"merge_with_id":`+into+`}`))
	req.Header.Set("x-api-token", token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("merge person %s into %s: %v %v", id, into, resp, err)
	}
	_ = resp.Body.Close()
}

// shared checks that err is, or joins, the permanent SHARED_CONTACT
// refusal of person id, saying what to do by hand.
func shared(t *testing.T, what string, err error, id string) {
	t.Helper()
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var ce *syncd.CRMError
		if errors.As(e, &ce) && ce.Code == syncd.CodeSharedContact && ce.Class == syncd.ErrPermanent &&
			strings.HasPrefix(ce.Message, "person "+id+" holds") && strings.Contains(ce.Message, "by hand") {
			return
		}
	}
	t.Errorf("%s: %v; want a permanent %s naming person %s and what to do by hand", what, err, syncd.CodeSharedContact, id)
}

// TestEraseHoldersLeavesAPersonMergedWithAnotherPerson: a salesperson
// merged Jane's person into Bob's: Bob's record now holds her email and
// number too. EraseHolders by her email found it and deleted it, Bob and
// his deal with it. Now a person holding an email or phone that syncd
// does not know as hers is left, as SHARED_CONTACT naming it and saying
// what to do by hand; one holding hers alone is still erased.
func TestEraseHoldersLeavesAPersonMergedWithAnotherPerson(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	jane := addPerson(t, srv, "Jane", crmfake.Edit{Emails: []string{"jane@x.dk"}, Phones: []string{"+4520123456"}})
	bob := addPerson(t, srv, "Bob", crmfake.Edit{Emails: []string{"bob@x.dk"}})
	mergePerson(t, srv, jane, bob)
	ctx := context.Background()
	for _, key := range []string{"jane@x.dk", "+4520123456"} {
		_, err := a.EraseHolders(ctx, key, janeKeys)
		shared(t, "EraseHolders("+key+")", err, bob)
		if st := srv.State(); len(st.Contacts) != 1 || st.Contacts[0].ID != bob || len(st.Deals) != 2 {
			t.Fatalf("after EraseHolders(%s) of Jane: persons %+v, %d deals; want Bob's merged record and both deals left",
				key, st.Contacts, len(st.Deals))
		}
	}
	// Her number added by hand to Kim's person: Kim's email is not hers.
	kim := addPerson(t, srv, "Kim", crmfake.Edit{Emails: []string{"kim@x.dk"}, Phones: []string{"+4520123456"}})
	_, err := a.EraseHolders(ctx, "+4520123456", syncd.PersonKeys{Phones: janeKeys.Phones})
	shared(t, "EraseHolders(her number on Kim's person)", err, kim)
	shared(t, "EraseHolders(her number on Kim's person and Bob's)", err, bob)
	if st := srv.State(); len(st.Contacts) != 2 {
		t.Fatalf("Kim's person, holding Jane's number, was deleted: %+v", st.Contacts)
	}
}

// TestEraseLeavesAPersonAnotherWasMergedInto: a salesperson merged Bob's
// person into Jane's, which syncd linked: hers now holds his email and
// his deal. The queued erasure of her person deleted it, Bob's data and
// deal with it. Now it deletes the deals syncd made for her and leaves the
// person, as SHARED_CONTACT, telling by her emails and phones the
// operation keeps sealed; her person holding hers alone is erased, and an
// erasure that keeps none (queued by an earlier version) leaves a person
// holding any.
func TestEraseLeavesAPersonAnotherWasMergedInto(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	jane := addPerson(t, srv, "Jane", crmfake.Edit{Emails: []string{"jane@x.dk"}, Phones: []string{"+4520123456"}})
	bob := addPerson(t, srv, "Bob", crmfake.Edit{Emails: []string{"bob@x.dk"}})
	dealOf := func(person string) string {
		for _, d := range srv.State().Deals {
			if slices.Equal(d.ContactIDs, []string{person}) {
				return d.ID
			}
		}
		return ""
	}
	janeDeal := dealOf(jane)
	mergePerson(t, srv, bob, jane)
	erasure := func(person, deal string) syncd.Op { // as syncd erase -crm queues it
		ops := syncd.EraseOps([]syncd.Link{{Target: "pipedrive", Kind: syncd.RecordContact, Key: "jane@x.dk", CRMID: person},
			{Target: "pipedrive", Kind: syncd.RecordDeal, Key: "L-1", CRMID: deal}}, "pipedrive", janeKeys, nil)
		if len(ops) != 1 || strings.Contains(ops[0].Properties["person_keys"], "jane") {
			t.Fatalf("erase operations %+v; want one, her emails and phones sealed", ops)
		}
		return ops[0]
	}
	ctx := context.Background()
	send := func(op syncd.Op) error { // as the syncer sends it
		contact, deals := op.EraseTargets()
		return a.Erase(ctx, contact, deals, op.ErasePerson())
	}
	shared(t, "Erase(her person)", send(erasure(jane, janeDeal)), jane)
	st := srv.State()
	if len(st.Contacts) != 1 || st.Contacts[0].ID != jane || len(st.Deals) != 1 || st.Deals[0].ID == janeDeal {
		t.Fatalf("after the erasure of Jane's person: persons %+v, deals %+v; want it left with Bob's deal alone", st.Contacts, st.Deals)
	}

	alone := addPerson(t, srv, "Jane", crmfake.Edit{Emails: []string{"Jane@x.dk"}, Phones: []string{"+45 20 12 34 56"}})
	op := erasure(alone, dealOf(alone))
	old := op
	old.Properties = map[string]string{"deal_ids": op.Properties["deal_ids"]}
	shared(t, "an erasure keeping no emails or phones", send(old), alone)
	if err := send(op); err != nil {
		t.Fatalf("erasure of a person holding hers alone: %v", err)
	}
	if st := srv.State(); len(st.Contacts) != 1 || len(st.Deals) != 1 {
		t.Fatalf("after the erasure of a person holding hers alone: persons %+v, deals %+v; want it gone with its deal", st.Contacts, st.Deals)
	}
}
