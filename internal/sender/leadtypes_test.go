package sender

import (
	"testing"
)

// TestALeadsClientFieldsOfAnotherJSONTypeAreReadAsTheMappingReadsThem: the
// report showed a client's name sent as ["Jane","Doe"] or as an object,
// and an email sent as an object (`{"address":...}`), as JSON text, where
// the mapping reads the name's parts in order and leaves out what is no
// text. A number shows as the sender wrote it, as before.
func TestALeadsClientFieldsOfAnotherJSONTypeAreReadAsTheMappingReadsThem(t *testing.T) {
	for _, c := range []struct{ name, email, wantName, wantEmail string }{
		{`["Jane","Doe"]`, `"jane@x.dk"`, "Jane Doe", "jane@x.dk"},
		{`12345`, `["jane@x.dk","jo@y.dk"]`, "12345", "jane@x.dk, jo@y.dk"}, // as sent: the report shows what the lead gave
		{`["Jane",{"a":1}]`, `{"address":"jane@x.dk"}`, "", ""},
		{`{"first":"Jane"}`, `[{"a":"jane@x.dk"}]`, "", ""},
		{`"Jane Doe"`, `"jane@x.dk"`, "Jane Doe", "jane@x.dk"},
	} {
		eaf := eafLead([]byte(`{"eaf_type":"email_lead","eaf_id":"1","contact_name":` + c.name + `,"contact_email":` + c.email + `}`))
		lb := lbLead([]byte(`{"event_type":"enquiry_created","payload":{"client":{"name":` + c.name + `,"email":` + c.email + `}}}`))
		for who, l := range map[string]Lead{"eaf": eaf, "lokalebasen": lb} {
			if l.Name != c.wantName || l.Email != c.wantEmail {
				t.Errorf("%s, name %s, email %s: name %q, email %q; want %q, %q", who, c.name, c.email, l.Name, l.Email, c.wantName, c.wantEmail)
			}
		}
	}
}
