package main

import (
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestOwnLeadMappedOnceByPhoneIsNoOtherContacts: a lead whose email a
// mapping mistake left out was first made a contact by its phone; once the
// mapping was mended and the lead replayed, its contact went by its email.
// syncd erase -email of that person then refused, naming the person's own
// lead among "other contacts' leads" for its older, phone-keyed contact
// operation. A lead whose own contact is the person's is the person's,
// whatever an older mapping of it keyed.
func TestOwnLeadMappedOnceByPhoneIsNoOtherContacts(t *testing.T) {
	t.Parallel()
	const email, phone = "kim@example.dk", "+4512345678"
	pd := syncd.PersonData{Ops: []syncd.Op{
		{ID: 1, EventID: 7, Kind: syncd.RecordContact, KeyKind: syncd.KeyPhone, Key: phone},
		{ID: 2, EventID: 7, Kind: syncd.RecordDeal, Key: "lead-7", ContactKey: phone},
		{ID: 3, EventID: 7, Kind: syncd.RecordContact, KeyKind: syncd.KeyEmail, Key: email},
		{ID: 4, EventID: 7, Kind: syncd.RecordDeal, Key: "lead-7", ContactKey: email},
		// Another person's lead, keyed by its own phone, naming the person.
		{ID: 5, EventID: 9, Kind: syncd.RecordContact, KeyKind: syncd.KeyPhone, Key: "+4587654321"},
	}}
	s := syncd.Subject{ID: email, Keys: []syncd.Key{{Kind: syncd.KeyEmail, Value: email}}}
	others, err := otherContacts(&config.Config{}, email, "", s, pd)
	if err != nil {
		t.Fatal(err)
	}
	if ids, ok := others[phone]; ok {
		t.Errorf("the person's own lead (event 7), once keyed by its phone, is among other contacts' leads: %v", ids)
	}
	if ids := others["+4587654321"]; len(ids) != 1 || ids[0] != 9 {
		t.Errorf("another person's lead naming the person: %v, want event 9", others)
	}
}

// TestRefusedEmailIsTheOwnLeadOfThatAddressAlone: a lead whose email
// field gave the person's address, which the mapping refused, keyed its
// contact by its phone: it is the person's own, not another contact's
// naming them. A colleague's lead whose own refused address is another,
// and which names the person in its message, is still another's.
func TestRefusedEmailIsTheOwnLeadOfThatAddressAlone(t *testing.T) {
	t.Parallel()
	const email = "bo@agency.example"
	note := func(addr string) string {
		return `rule "lead": contact's email "` + addr + `" left out, not an address (.example is no top-level domain); the contact goes by its phone`
	}
	pd := syncd.PersonData{
		Events: []syncd.Event{{ID: 7, MapError: note("bo broker <bo@agency.example>")}, {ID: 9, MapError: note("mette@firma.example")}},
		Ops: []syncd.Op{
			{ID: 1, EventID: 7, Kind: syncd.RecordContact, KeyKind: syncd.KeyPhone, Key: "+4520123401"},
			{ID: 2, EventID: 9, Kind: syncd.RecordContact, KeyKind: syncd.KeyPhone, Key: "+4540123409"},
		},
	}
	s, err := newSubject(&config.Config{}, email, "")
	if err != nil {
		t.Fatal(err)
	}
	others, err := otherContacts(&config.Config{}, email, "", s, pd)
	if err != nil {
		t.Fatal(err)
	}
	if len(others) != 1 || len(others["+4540123409"]) != 1 {
		t.Errorf("other contacts' leads: %v, want the colleague's (event 9) alone", others)
	}
}
