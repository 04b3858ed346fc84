package mapping

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestANameOfAnotherJSONTypeIsReadAlike: an EAF contact_name sent as a
// number was dropped with no reason given, true became the first name
// "true", and ["Jane","Doe"] (read as "Jane, Doe", last name first) the
// first name Doe and the last name Jane, while an object was left out with
// a reason. A number or a boolean is no name, left out with the reason;
// a list of texts is the name's parts in order.
func TestANameOfAnotherJSONTypeIsReadAlike(t *testing.T) {
	for _, c := range []struct {
		name   any
		first  string // HubSpot's firstname
		last   string
		called string // what the deal is named after
		reason string
	}{
		{12345, "", "", "support@estateagentfeeds.com", "contact_name is a number where a name is expected: no name, left out"},
		{true, "", "", "support@estateagentfeeds.com", "contact_name is true where a name is expected: no name, left out"},
		{false, "", "", "support@estateagentfeeds.com", "contact_name is false where a name is expected: no name, left out"},
		{[]any{"Jane", "Doe"}, "Jane", "Doe", "Jane Doe", ""},
		{[]any{"Jane", " ", "van der Berg"}, "Jane", "van der Berg", "Jane van der Berg", ""},
		{"Jane Doe", "Jane", "Doe", "Jane Doe", ""}, // as documented
	} {
		shapeCase{name: "contact_name", kind: syncd.KindEAF, file: "eaf/email_lead.json",
			shape: func(p map[string]any) { p["contact_name"] = c.name },
			check: func(t *testing.T, target string, res Result, contact, deal map[string]string) {
				if got := dealName(target, deal); !strings.HasSuffix(got, ": "+c.called) {
					t.Errorf("%v, %s: deal name %q; want it named after %q", c.name, target, got, c.called)
				}
				if target == "hubspot" && (contact["firstname"] != c.first || contact["lastname"] != c.last) {
					t.Errorf("%v: first name %q, last name %q; want %q, %q", c.name, contact["firstname"], contact["lastname"], c.first, c.last)
				}
				if target == "pipedrive" && contact["name"] != c.called {
					t.Errorf("%v: person %q; want %q", c.name, contact["name"], c.called)
				}
				if !strings.Contains(res.Reason, c.reason) || c.reason == "" && res.Reason != "" {
					t.Errorf("%v, %s: reason %q; want %q", c.name, target, res.Reason, c.reason)
				}
			},
		}.run(t)
	}
}

// TestAnEmailOfAnotherShapeIsSaidWhenTheLeadIsUnmappable: an email sent as
// an object, without a phone, made the lead unmappable as "contact has no
// email and no phone", though the lead had an email, of another shape: a
// phone sent so, beside an email, was said to be an object. The reason
// says what each was.
func TestAnEmailOfAnotherShapeIsSaidWhenTheLeadIsUnmappable(t *testing.T) {
	rules, err := Load(filepath.Join(mappingsDir, "hubspot"), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	for body, want := range map[string]string{
		`{"eaf_type":"email_lead","eaf_id":"7","contact_name":"Jane Doe","contact_email":{"address":"jane@example.com"}}`: "contact has no email and no phone; contact_email is an object where text is expected: left out",
		`{"eaf_type":"email_lead","eaf_id":"7","contact_name":"Jane Doe","contact_phone":{"number":"020 3870 4550"}}`:     "contact has no email and no phone; contact_phone is an object where text is expected: left out",
		`{"eaf_type":"email_lead","eaf_id":"7","contact_name":"Jane Doe","contact_email":[{"a":"jane@example.com"}]}`:     "contact_email is a list holding objects or lists where text is expected",
		`{"eaf_type":"email_lead","eaf_id":"7","contact_name":"Jane Doe"}`:                                                `rule "eaf-email-lead": contact has no email and no phone`,
	} {
		ev, err := EventFromBody(syncd.KindEAF, "eaf", "", []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		res := rules.Map(ev)
		if res.State != syncd.MapUnmappable || !strings.Contains(res.Reason, want) {
			t.Errorf("%s: %s, %q; want unmappable, %q", body, res.State, res.Reason, want)
		}
		if strings.HasSuffix(want, "no phone") && !strings.HasSuffix(res.Reason, want) {
			t.Errorf("%s: reason %q; want nothing after %q", body, res.Reason, want)
		}
	}
}
