package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPersonKeysKnowWhatSyncdWroteForThePerson: erased by -email, the
// person's number is known from what their contact operations sent, in
// whatever format a salesperson sees it written; a colleague's contact
// whose lead names the person (Subject.Others) is not theirs.
func TestPersonKeysKnowWhatSyncdWroteForThePerson(t *testing.T) {
	t.Parallel()
	s := syncd.Subject{Others: []string{"bob@x.dk"}}
	s.AddKeys(syncd.KeyEmail, "jane@x.dk")
	pd := syncd.PersonData{
		Ops: []syncd.Op{
			{Kind: syncd.RecordContact, Key: "jane@x.dk", KeyKind: syncd.KeyEmail,
				Properties: map[string]string{"email": "jane@x.dk", "phone": "+4520123456"}},
			{Kind: syncd.RecordContact, Key: "bob@x.dk", KeyKind: syncd.KeyEmail,
				Properties: map[string]string{"email": "bob@x.dk", "phone": "+4531987654"}},
			{Kind: syncd.RecordDeal, Key: "L-1", ContactKey: "jane@x.dk", Properties: map[string]string{"phone": "+4540404040"}},
		},
		Links: []syncd.Link{{Target: "pipedrive", Kind: syncd.RecordContact, Key: "+4550505050", CRMID: "7"},
			{Target: "pipedrive", Kind: syncd.RecordContact, Key: "bob@x.dk", CRMID: "8"}},
	}
	k := personKeys(s, pd)
	for _, c := range []struct {
		v    string
		want bool
	}{
		{"Jane@X.dk", true}, {"bob@x.dk", false},
		{"+45 20 12 34 56", true}, {"20123456", true}, {"0045 2012 3456", true}, {"+4550505050", true},
		{"+4531987654", false}, {"+4540404040", false}, {"", false},
	} {
		got := k.HasPhone(c.v)
		if c.v != "" && c.v[len(c.v)-1] == 'k' {
			got = k.HasEmail(c.v)
		}
		if got != c.want {
			t.Errorf("%q the person's: %v, want %v (keys %+v)", c.v, got, c.want, k)
		}
	}
}

// TestSharedLeftSaysEachContactOnce: the contacts a CRM left as holding
// someone else's data too come one error each, joined, or alone.
func TestSharedLeftSaysEachContactOnce(t *testing.T) {
	t.Parallel()
	one := &syncd.CRMError{Code: syncd.CodeSharedContact, Message: "person 7 holds 1 email"}
	two := &syncd.CRMError{Code: syncd.CodeSharedContact, Message: "person 9 holds 1 phone"}
	other := &syncd.CRMError{Code: "NETWORK", Message: "down"}
	for _, c := range []struct {
		err  error
		want []string
	}{
		{nil, nil}, {other, nil}, {one, []string{one.Message}},
		{fmt.Errorf("wrapped: %w", one), []string{one.Message}},
		{errors.Join(one, two), []string{one.Message, two.Message}},
	} {
		if got := sharedLeft(c.err); !slices.Equal(got, c.want) {
			t.Errorf("sharedLeft(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

// TestEraseAndExportTakeEachKeysKindAsRecorded: holderKeys told the
// person's email keys from their phone keys by looking for "@", and
// personKeys did so for every key and value it read. Each now takes the
// kind where it is recorded: newSubject adds the keys with their kind
// (Subject.AddKeys), operations carry KeyKind, properties are named email
// and phone. What each gives is what the guess gave for the keys syncd
// makes: the email given in each of its forms, and the phone given when it
// reads as one number only.
func TestEraseAndExportTakeEachKeysKindAsRecorded(t *testing.T) {
	t.Parallel()
	cfg := &config.Config{Sources: map[string]config.Source{"eaf": {DefaultCountry: "DK"}}}
	for _, c := range []struct {
		email, phone   string
		emails, phones int
	}{
		{"Åse@Ærø.dk", "", 4, 0}, // composed and decomposed, its domain in ASCII and in Unicode
		{"", "+45 20 12 34 56", 0, 1},
		{"jane@x.dk", "20 12 34 56", 1, 1},
		{"", "+1 345 949 1234", 0, 1},
	} {
		s, err := newSubject(cfg, c.email, c.phone)
		if err != nil {
			t.Fatalf("newSubject(%q, %q): %v", c.email, c.phone, err)
		}
		emails, phones := s.KeysOf(syncd.KeyEmail), s.KeysOf(syncd.KeyPhone)
		if len(emails) != c.emails || len(phones) != c.phones || len(emails)+len(phones) != len(s.Keys) {
			t.Errorf("newSubject(%q, %q): keys %q, of which emails %q and phones %q; want %d and %d, every key of a kind",
				c.email, c.phone, s.KeyValues(), emails, phones, c.emails, c.phones)
		}
		// What the guess by "@" made of the same keys.
		var guessed, guessedPhones []string
		for _, k := range s.KeyValues() {
			if strings.Contains(k, "@") {
				guessed = append(guessed, k)
			} else {
				guessedPhones = append(guessedPhones, k)
			}
		}
		if len(guessedPhones) == 1 {
			guessed = append(guessed, guessedPhones[0])
		}
		want := slices.Compact(slices.Sorted(slices.Values(guessed)))
		if got := holderKeys(s, nil, "hubspot"); !slices.Equal(got, want) || !slices.Equal(emails, slices.DeleteFunc(s.KeyValues(),
			func(k string) bool { return !strings.Contains(k, "@") })) {
			t.Errorf("holderKeys of %q, %q = %q, the guess by @ gave %q (emails %q)", c.email, c.phone, got, want, emails)
		}
	}
	// A copy of a subject given more keys leaves the first its own.
	var s syncd.Subject
	s.AddKeys(syncd.KeyEmail, "jane@x.dk")
	other := s
	other.AddKeys(syncd.KeyPhone, "+4520123456")
	if got := s.KeysOf(syncd.KeyPhone); len(got) != 0 || len(other.KeysOf(syncd.KeyPhone)) != 1 {
		t.Errorf("a copy's phone keys reach the subject it was copied from: %q", got)
	}
	// Two copies given a key each keep each their own.
	s.AddKeys(syncd.KeyEmail, "jane.privat@x.dk", "jane@y.dk")
	a, b := s, s
	a.AddKeys(syncd.KeyPhone, "+4520123456")
	b.AddKeys(syncd.KeyPhone, "+4540404040")
	if got := a.KeysOf(syncd.KeyPhone); !slices.Equal(got, []string{"+4520123456"}) {
		t.Errorf("a copy's phone key is another copy's: %q", got)
	}
	// A key set with no kind is of none, not guessed.
	if got := (syncd.Subject{Keys: []syncd.Key{{Value: "jane@x.dk"}}}).KeysOf(syncd.KeyEmail); got != nil {
		t.Errorf("a key of no kind is taken as an email: %q", got)
	}
}
