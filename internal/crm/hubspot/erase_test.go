package hubspot_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestEraseHoldersByEmailWhateverTheID: the contact syncd linked was
// deleted and the person made again by hand: the GDPR delete by email
// reaches the new one; a phone cannot be looked up in HubSpot and is said so.
func TestEraseHoldersByEmailWhateverTheID(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	old := srv.AddContact(crmfake.Record{Properties: map[string]string{"email": "jane@x.dk"}})
	if err := srv.DeleteContact(old); err != nil {
		t.Fatal(err)
	}
	srv.AddContact(crmfake.Record{Properties: map[string]string{"email": "Jane@X.dk", "phone": "+4520123456"}})
	bob := srv.AddContact(crmfake.Record{Properties: map[string]string{"email": "bob@x.dk"}})
	ctx := context.Background()
	if err := a.Erase(ctx, old, nil, nil); err != nil {
		t.Fatalf("erase by the linked id: %v", err)
	}
	if st := srv.State(); len(st.Contacts) != 2 {
		t.Fatalf("the linked id alone erased %d contacts; the case needs it to miss", 2-len(st.Contacts))
	}
	if ok, err := a.EraseHolders(ctx, "+4520123456", syncd.PersonKeys{}); ok || err != nil {
		t.Fatalf("EraseHolders(phone): %v, %v; want not looked up", ok, err)
	}
	if ok, err := a.EraseHolders(ctx, "jane@x.dk", syncd.PersonKeys{}); !ok || err != nil {
		t.Fatalf("EraseHolders(email): %v, %v", ok, err)
	}
	if st := srv.State(); len(st.Contacts) != 1 || st.Contacts[0].ID != bob {
		t.Fatalf("contacts left: %+v; want only %s", st.Contacts, bob)
	}
	if ok, err := a.EraseHolders(ctx, "nobody@x.dk", syncd.PersonKeys{}); !ok || err != nil { // HubSpot blocklists it: 204
		t.Fatalf("EraseHolders(an email no one holds): %v, %v", ok, err)
	}
}

// TestEraseLeavesAMergedContact: a salesperson merged Jane's contact with
// Bob's; HubSpot's GDPR delete of the merged record, by Jane's old id or
// by her email (now a secondary one on it), would delete Bob too. Neither
// deletes it: each is refused as MERGED_CONTACT, saying what to do by
// hand, and Bob's record stays.
func TestEraseLeavesAMergedContact(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	jane := srv.AddContact(crmfake.Record{Properties: map[string]string{"email": "jane@x.dk"}})
	bob := srv.AddContact(crmfake.Record{Properties: map[string]string{"email": "bob@x.dk"}})
	merged, err := srv.MergeContacts(bob, jane)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for what, erase := range map[string]func() error{
		"Erase(her old id)":   func() error { return a.Erase(ctx, jane, nil, nil) },
		"Erase(the new id)":   func() error { return a.Erase(ctx, merged, nil, nil) },
		"EraseHolders(email)": func() error { _, err := a.EraseHolders(ctx, "jane@x.dk", syncd.PersonKeys{}); return err },
	} {
		err := erase()
		var ce *syncd.CRMError
		if !errors.As(err, &ce) || ce.Code != syncd.CodeMergedContact || ce.Class != syncd.ErrPermanent ||
			!strings.Contains(ce.Message, "by hand") || !strings.Contains(ce.Message, merged) {
			t.Errorf("%s: %v; want a permanent %s naming %s and what to do by hand", what, err, syncd.CodeMergedContact, merged)
		}
		if st := srv.State(); len(st.ContactsByEmail["bob@x.dk"]) != 1 {
			t.Fatalf("%s deleted the merged record, and Bob with it: %+v", what, st.Contacts)
		}
	}
	// A contact that is no merge is still deleted.
	solo := srv.AddContact(crmfake.Record{Properties: map[string]string{"email": "kim@x.dk"}})
	if err := a.Erase(ctx, solo, nil, nil); err != nil {
		t.Fatalf("erase of a contact that is no merge: %v", err)
	}
	if st := srv.State(); len(st.ContactsByEmail["kim@x.dk"]) != 0 {
		t.Fatalf("a contact that is no merge was not deleted")
	}
}

// TestEraseDealKeysFindsTheDealByItsLeadID: a deal HubSpot wrote whose id
// syncd never recorded is found by its lead id (the unique deal property
// the upsert writes) and deleted; a lead id no deal holds is nothing to
// erase, another lead's deal stays, and a read HubSpot fails is an error
// to retry, nothing deleted.
func TestEraseDealKeysFindsTheDealByItsLeadID(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	srv.AddDeal(crmfake.Record{LeadID: "eaf:jane 1", Properties: map[string]string{"dealname": "Jane Doe"}})
	other := srv.AddDeal(crmfake.Record{LeadID: "eaf:bob", Properties: map[string]string{"dealname": "Bob"}})
	ctx := context.Background()
	srv.AddFault(crmfake.Fault{Method: "GET", Path: "/crm/v3/objects/deals/*", Action: crmfake.ActError, Status: 503})
	var ce *syncd.CRMError
	if err := a.EraseDealKeys(ctx, []string{"eaf:jane 1"}); !errors.As(err, &ce) || ce.Class != syncd.ErrRetry {
		t.Fatalf("erase with the read failing: %v; want an error to retry", err)
	}
	if st := srv.State(); len(st.Deals) != 2 {
		t.Fatalf("a failed read deleted %d deals", 2-len(st.Deals))
	}
	srv.ClearFaults()
	for range 2 { // again: gone is erased
		if err := a.EraseDealKeys(ctx, []string{"eaf:nobody", "eaf:jane 1"}); err != nil {
			t.Fatal(err)
		}
	}
	if st := srv.State(); len(st.Deals) != 1 || st.Deals[0].ID != other {
		t.Fatalf("deals left: %+v; want only %s", st.Deals, other)
	}
}

// TestEraseLeavesAContactHoldingAnAddressAddedByHand: a salesperson gave
// Jane's contact her new address and kept the old one as a secondary
// email; no merge. syncd cannot tell the new address is hers, so the
// contact is left as a merged one is (MERGED_CONTACT), but the message
// says what it holds, not that it is a merge of several contacts: the
// operator looked for a merge in HubSpot that never happened.
func TestEraseLeavesAContactHoldingAnAddressAddedByHand(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	jane := srv.AddContact(crmfake.Record{Properties: map[string]string{"email": "jane@x.dk"}})
	if err := srv.EditContact(jane, crmfake.Edit{Properties: map[string]string{"email": "jane.new@y.dk", "hs_additional_emails": "jane@x.dk"}}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for what, erase := range map[string]func() error{
		"Erase(her id)":       func() error { return a.Erase(ctx, jane, nil, nil) },
		"EraseHolders(email)": func() error { _, err := a.EraseHolders(ctx, "jane@x.dk", syncd.PersonKeys{}); return err },
	} {
		err := erase()
		var ce *syncd.CRMError
		if !errors.As(err, &ce) || ce.Code != syncd.CodeMergedContact || ce.Class != syncd.ErrPermanent {
			t.Fatalf("%s: %v; want a permanent %s", what, err, syncd.CodeMergedContact)
		}
		if strings.Contains(ce.Message, "is a merge") || !strings.Contains(ce.Message, "contact "+jane+" holds 2 emails") ||
			!strings.Contains(ce.Message, "no merge") || !strings.Contains(ce.Message, "by hand") {
			t.Errorf("%s: %q; want it to say the contact holds 2 emails, is no merge, and what to do by hand", what, ce.Message)
		}
		if st := srv.State(); len(st.Contacts) != 1 {
			t.Fatalf("%s deleted the contact", what)
		}
	}
}
