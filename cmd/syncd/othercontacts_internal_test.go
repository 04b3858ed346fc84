package main

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestOtherContactsNamesThem: which leads found by -phone make the number
// another person's too: those the mappings keyed to another email (by its
// contact operation, or by a deal's contact when the contact's operation
// was one already in the outbox), unless they name the -email given;
// without -email, two emails or more. A lead of another email that names
// the person is no shared number: it is returned, for erase to refuse
// without -others, -crm or not.
func TestOtherContactsNamesThem(t *testing.T) {
	t.Parallel()
	cfg := &config.Config{Sources: map[string]config.Source{"lb": {Kind: "lokalebasen", DefaultCountry: "DK"}}}
	lead := func(id int64, body string) syncd.Event {
		return syncd.Event{ID: id, Body: []byte(body), Payload: []byte(body)}
	}
	contact := func(ev int64, email string) syncd.Op {
		return syncd.Op{EventID: ev, Kind: syncd.RecordContact, Key: email, KeyKind: syncd.KeyEmail,
			Properties: map[string]string{"email": email, "phone": "+4533123456"}} // each lead's own phone field
	}
	deal := func(ev int64, email string) syncd.Op {
		return syncd.Op{EventID: ev, Kind: syncd.RecordDeal, Key: "lb:x", ContactKey: email}
	}
	jane := lead(1, `{"email":"jane@firma.dk","phone":"33 12 34 56"}`)
	bob := lead(2, `{"email":"bob@firma.dk","phone":"33 12 34 56"}`)
	bobAgain := lead(3, `{"email":"bob@firma.dk","phone":"+45 33 12 34 56"}`)
	bobNamingJane := lead(4, `{"email":"bob@firma.dk","phone":"33 12 34 56","comment":"cc Jane@firma.dk"}`)
	cases := []struct {
		name, email string
		pd          syncd.PersonData
		others      []string // "" for none
	}{
		{"a colleague's lead", "jane@firma.dk", syncd.PersonData{Events: []syncd.Event{jane, bob},
			Ops: []syncd.Op{contact(1, "jane@firma.dk"), contact(2, "bob@firma.dk")}}, []string{"bob@firma.dk: event 2"}},
		{"his second lead, its contact already queued", "jane@firma.dk", syncd.PersonData{Events: []syncd.Event{jane, bob, bobAgain},
			Ops: []syncd.Op{contact(1, "jane@firma.dk"), contact(2, "bob@firma.dk"), deal(3, "bob@firma.dk")}},
			[]string{"bob@firma.dk: events 2 3"}},
		{"his lead naming her", "jane@firma.dk", syncd.PersonData{Events: []syncd.Event{jane, bobNamingJane},
			Ops: []syncd.Op{contact(1, "jane@firma.dk"), contact(4, "bob@firma.dk")}}, nil},
		{"the number alone, one email", "", syncd.PersonData{Events: []syncd.Event{jane},
			Ops: []syncd.Op{contact(1, "jane@firma.dk")}}, nil},
		{"the number alone, two emails", "", syncd.PersonData{Events: []syncd.Event{jane, bob},
			Ops: []syncd.Op{contact(1, "jane@firma.dk"), contact(2, "bob@firma.dk")}},
			[]string{"bob@firma.dk: event 2", "jane@firma.dk: event 1"}},
	}
	for _, c := range cases {
		s, err := newSubject(cfg, c.email, "33 12 34 56")
		if err != nil {
			t.Fatal(err)
		}
		_, err = otherContacts(cfg, c.email, "33 12 34 56", s, c.pd)
		if (err != nil) != (len(c.others) > 0) {
			t.Errorf("%s: %v, want others %q", c.name, err, c.others)
			continue
		}
		for _, o := range c.others {
			if !strings.Contains(err.Error(), o) {
				t.Errorf("%s: %v does not name %q", c.name, err, o)
			}
		}
	}
	// A lead of another email naming the person is returned, not refused:
	// erase -others erases it and keeps that contact's CRM links, so that
	// -crm erases only the person's own records in the CRM.
	others, err := otherContacts(cfg, "jane@firma.dk", "", syncd.Subject{Keys: []syncd.Key{{Kind: syncd.KeyEmail, Value: "jane@firma.dk"}}}, cases[2].pd)
	if err != nil || contactList(others) != "bob@firma.dk: event 4" {
		t.Errorf("a colleague's lead naming her, by -email: others %q, %v; want bob@firma.dk: event 4", contactList(others), err)
	}
	// A colleague found by the switchboard number: -email alone is the way
	// out.
	s, _ := newSubject(cfg, "jane@firma.dk", "33 12 34 56")
	if _, err := otherContacts(cfg, "jane@firma.dk", "33 12 34 56", s, cases[0].pd); err == nil ||
		!strings.Contains(err.Error(), "-phone is in") {
		t.Errorf("a shared -phone: %v, want the number refused", err)
	}
	if _, err := otherContacts(cfg, "jane@firma.dk", "", syncd.Subject{Keys: []syncd.Key{{Kind: syncd.KeyEmail, Value: "jane@firma.dk"}}}, cases[0].pd); err != nil {
		t.Errorf("without -phone: %v", err)
	}
	// A colleague's lead sent with his own phone that names hers in its
	// message is a lead naming the person, by -email and -phone as by
	// -phone alone: returned for -others, not refused as a number shared.
	bobOwn := contact(5, "bob@firma.dk")
	bobOwn.Properties = map[string]string{"email": "bob@firma.dk", "phone": "+4531987654"}
	naming := syncd.PersonData{Events: []syncd.Event{jane, lead(5, `{"email":"bob@firma.dk","phone":"31 98 76 54","comment":"ring 33 12 34 56"}`)},
		Ops: []syncd.Op{contact(1, "jane@firma.dk"), bobOwn}}
	for _, email := range []string{"jane@firma.dk", ""} {
		s, _ := newSubject(cfg, email, "33 12 34 56")
		if others, err := otherContacts(cfg, email, "33 12 34 56", s, naming); err != nil || contactList(others) != "bob@firma.dk: event 5" {
			t.Errorf("-email %q -phone, a colleague's lead naming the number: others %q, %v; want bob@firma.dk: event 5",
				email, contactList(others), err)
		}
	}
}
