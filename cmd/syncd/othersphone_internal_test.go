package main

import (
	"reflect"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestOtherContactsKeyedByPhone: a colleague who left only a phone (the
// mappings key his contact by it) and names the person in his message is
// another contact too: erase -email erased his lead whole, unasked, and
// took his CRM link. His lead is now among the others; the person's own
// phone-keyed lead, found with -phone, is not.
func TestOtherContactsKeyedByPhone(t *testing.T) {
	t.Parallel()
	cfg := &config.Config{Sources: map[string]config.Source{"lb": {Kind: "lokalebasen", DefaultCountry: "DK"}}}
	byPhone := func(ev int64, phone string) syncd.Op {
		return syncd.Op{EventID: ev, Kind: syncd.RecordContact, Key: phone, KeyKind: syncd.KeyPhone}
	}
	pd := syncd.PersonData{
		Events: []syncd.Event{{ID: 1, Body: []byte(`{"email":"mette@firma.dk","phone":"20 12 34 56"}`)},
			{ID: 2, Body: []byte(`{"phone":"40 40 40 41","comment":"min kollega mette@firma.dk"}`)},
			{ID: 3, Body: []byte(`{"phone":"20 12 34 56","comment":"min mail er mette@firma.dk"}`)}},
		Ops: []syncd.Op{{EventID: 1, Kind: syncd.RecordContact, Key: "mette@firma.dk", KeyKind: syncd.KeyEmail},
			byPhone(2, "+4540404041"), byPhone(3, "+4520123456")},
	}
	for _, c := range []struct {
		phone string
		want  map[string][]int64
	}{
		{"", map[string][]int64{"+4540404041": {2}, "+4520123456": {3}}},
		{"20 12 34 56", map[string][]int64{"+4540404041": {2}}},
	} {
		s, err := newSubject(cfg, "mette@firma.dk", c.phone)
		if err != nil {
			t.Fatal(err)
		}
		others, err := otherContacts(cfg, "mette@firma.dk", c.phone, s, pd)
		if err != nil || !reflect.DeepEqual(others, c.want) {
			t.Errorf("-phone %q: others %v, %v; want %v", c.phone, others, err, c.want)
		}
	}
}

// TestPhoneOnlyInAColleaguesMessage: erase -phone (alone) of a number that
// only a colleague's message gives ("ring til Kim på 20 19 19 19"): the one
// email found was taken for the person's, so his lead was erased and -crm
// queued the GDPR delete of his contact. An email is the person's only when
// its contact carries the number; else it is another contact.
func TestPhoneOnlyInAColleaguesMessage(t *testing.T) {
	t.Parallel()
	cfg := &config.Config{Sources: map[string]config.Source{"lb": {Kind: "lokalebasen", DefaultCountry: "DK"}}}
	lead := func(phone string) syncd.PersonData {
		return syncd.PersonData{
			Events: []syncd.Event{{ID: 1, Body: []byte(`{"email":"lars@firma.dk","phone":"` + phone + `","comment":"ring til Kim paa 20 19 19 19"}`)}},
			Ops: []syncd.Op{{EventID: 1, Kind: syncd.RecordContact, Key: "lars@firma.dk", KeyKind: syncd.KeyEmail,
				Properties: map[string]string{"email": "lars@firma.dk", "phone": phone}}},
		}
	}
	s, err := newSubject(cfg, "", "20 19 19 19")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		phone string
		want  map[string][]int64
	}{
		{"+4540404049", map[string][]int64{"lars@firma.dk": {1}}}, // his own number is another
		{"+4520191919", map[string][]int64{}},                     // the number is his: he is the person
	} {
		others, err := otherContacts(cfg, "", "20 19 19 19", s, lead(c.phone))
		if err != nil || !reflect.DeepEqual(others, c.want) {
			t.Errorf("contact's phone %s: others %v, %v; want %v", c.phone, others, err, c.want)
		}
	}
}
