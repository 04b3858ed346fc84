package syncd

import (
	"reflect"
	"testing"
)

// TestMergeContactsAsSentOneAfterAnother: a record's updates merged are
// what sending them in order leaves: a later value wins, a property only
// an earlier one gave stays, a create-only one keeps the first value (the
// updates after the create leave it out), and the emails and phones before
// the last are kept, in order, for a list the CRM adds each to.
func TestMergeContactsAsSentOneAfterAnother(t *testing.T) {
	modes := WriteModes{RecordContact: {"lifecyclestage": WriteCreate}}
	got := MergeContacts([]Contact{
		{Key: "a@example.com", Email: "a@example.com", Phone: "+4511111111",
			Properties: map[string]string{"firstname": "Ann", "jobtitle": "Agent", "lifecyclestage": "lead"}},
		{Key: "a@example.com", Email: "a@example.com",
			Properties: map[string]string{"firstname": "Anne", "lifecyclestage": "customer"}},
		{Key: "a@example.com", Email: "a@example.com", Phone: "+4522222222",
			Properties: map[string]string{"company": "Acme"}},
	}, modes)
	want := Contact{Key: "a@example.com", Email: "a@example.com", Phone: "+4522222222",
		Properties:    map[string]string{"firstname": "Anne", "jobtitle": "Agent", "lifecyclestage": "lead", "company": "Acme"},
		EarlierEmails: []string{"a@example.com", "a@example.com"}, EarlierPhones: []string{"+4511111111"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("merged\n%+v\nwant\n%+v", got, want)
	}
	one := Contact{Key: "b@example.com", Properties: map[string]string{"x": "1"}}
	if got := MergeContacts([]Contact{one}, modes); !reflect.DeepEqual(got, one) {
		t.Fatalf("one contact merged into %+v", got)
	}
}
