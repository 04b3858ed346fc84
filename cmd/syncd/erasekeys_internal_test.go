package main

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPersonKeysKnowWhatSyncdWroteForThePerson: erased by -email, the
// person's number is known from what their contact operations sent, in
// whatever format a salesperson sees it written; a colleague's contact
// whose lead names the person (Subject.Others) is not theirs.
func TestPersonKeysKnowWhatSyncdWroteForThePerson(t *testing.T) {
	t.Parallel()
	s := syncd.Subject{Keys: []string{"jane@x.dk"}, Others: []string{"bob@x.dk"}}
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
