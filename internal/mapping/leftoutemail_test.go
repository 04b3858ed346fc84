package mapping

import "testing"

// TestEmailLeftOutReadsTheMappersNote: erase and export read from an
// event's reason which address the mapper refused as the contact's email
// (the lead is the person's own, its contact keyed by its phone), so the
// note the mapper writes must read back as the address and why.
func TestEmailLeftOutReadsTheMappersNote(t *testing.T) {
	r := mustParse(t, eafRule)
	for _, tc := range []struct{ email, given, why string }{
		{"Bo.Broker@Agency.example", "bo.broker@agency.example", ".example is no top-level domain"},
		{"kim@@x.dk", "kim@@x.dk", "not an address"},
		{`Bo \"Broker\" <bo@agency.example>`, `bo "broker" <bo@agency.example>`, ".example is no top-level domain"},
	} {
		body := `{"contact_email":"` + tc.email + `","contact_phone":"020 3870 4550","eaf_reference":"R1"}`
		res := r.Map(testEvent("eaf", "email_lead", "eaf:9", []byte(body)))
		given, why, ok := EmailLeftOut(res.Reason)
		if !ok || given != tc.given || why != tc.why {
			t.Errorf("%s: EmailLeftOut(%q) = %q, %q, %v; want %q, %q", tc.email, res.Reason, given, why, ok, tc.given, tc.why)
		}
	}
	for _, reason := range []string{"", `rule "lead": contact's phone "ring efter kl. 16" left out, not a phone number`,
		`rule "lead": contact has no valid email ("x@y.example" is not one: .example is no top-level domain) and no phone`} {
		if given, _, ok := EmailLeftOut(reason); ok {
			t.Errorf("EmailLeftOut(%q) = %q, want no address", reason, given)
		}
	}
}
