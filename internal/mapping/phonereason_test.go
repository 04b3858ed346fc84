package mapping

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestUnmappableSaysThePhoneIsNotANumber: a lead whose phone field holds
// a note ("ring efter kl. 16") and no email is unmappable; the reason says
// the phone given is not a phone number, not that there is none, also
// when the mapping writes phone through phone() as the shipped ones do
// (which gives "" for it).
func TestUnmappableSaysThePhoneIsNotANumber(t *testing.T) {
	const rule = `rules:
  - name: lead
    source: eaf
    event: email_lead
    contact:
      email: contact_email
      phone: %s
    deal:
      dealname: eaf_reference
`
	for _, phone := range []string{"{expr: 'phone(contact_phone)'}", "{expr: 'phoneIn(contact_phone, \"DK\")'}", "contact_phone"} {
		r := mustParse(t, fmtRule(rule, phone))
		for _, tc := range []struct{ payload, reason string }{
			{`{"contact_phone":"ring efter kl. 16","eaf_reference":"R1"}`,
				`rule "lead": contact has no email, and the phone given ("ring efter kl. 16") is not a phone number`},
			{`{"contact_email":"jane at example","contact_phone":"n/a","eaf_reference":"R1"}`,
				`rule "lead": contact has no valid email ("jane at example" is not one), and the phone given ("n/a") is not a phone number`},
			{`{"contact_phone":" ","eaf_reference":"R1"}`, `rule "lead": contact has no email and no phone`},
			{`{"eaf_reference":"R1"}`, `rule "lead": contact has no email and no phone`},
		} {
			res := r.Map(testEvent("eaf", "email_lead", "eaf:9", []byte(tc.payload)))
			if res.State != syncd.MapUnmappable || res.Reason != tc.reason {
				t.Errorf("phone: %s, %s: %s %q, want unmappable %q", phone, tc.payload, res.State, res.Reason, tc.reason)
			}
		}
	}
}

func fmtRule(rule, phone string) string { return strings.Replace(rule, "%s", phone, 1) }
