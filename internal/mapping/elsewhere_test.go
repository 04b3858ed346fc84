package mapping

import (
	"strings"
	"testing"
)

// TestAFieldOfAnotherEventTypeIsSaidToBeOne: a field the rule's event
// type does not have but another documented one does (eaf_target, of a
// portal submission, in an email_lead rule; a Lokalebasen path in an
// Estate Agent Feeds rule, and back) was said to be unknown, with the
// advice to write it as a constant, {const: eaf_target}, or with nothing
// ("unknown field "payload""). It is said to be a field of those events,
// not of the rule's, in a path and in an expression.
func TestAFieldOfAnotherEventTypeIsSaidToBeOne(t *testing.T) {
	const eafHead = `rules:
  - name: r
    source: eaf
    event: email_lead
    contact:
      email: contact_email
`
	const lbHead = `rules:
  - name: r
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
`
	for _, tc := range []struct{ name, yaml, want string }{
		{"another type's field", eafHead + "      company: eaf_target\n",
			`test.yaml:7: rule "r": contact.company: bad path "eaf_target": unknown field "eaf_target" (a field of eaf portal_submission events, not of eaf email_lead ones)`},
		{"another type's field in an expression", eafHead + "      company: {expr: 'upper(eaf_target)'}\n",
			`unknown name eaf_target (a field of eaf portal_submission events, not of eaf email_lead ones)`},
		{"the other sender's path", eafHead + "      company: payload.client.company\n",
			`contact.company: bad path "payload.client.company": unknown field "payload" (a field of lokalebasen enquiry_created events, not of eaf email_lead ones)`},
		{"the other sender's field", lbHead + "      phone: contact_phone\n",
			`contact.phone: bad path "contact_phone": unknown field "contact_phone" (a field of eaf email_lead events, not of lokalebasen enquiry_created ones)`},
		{"two other types' field", eafHead + "      company: eaf_timestamp_x\n", ``},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("test.yaml", []byte(tc.yaml), "hubspot")
			if tc.want == "" {
				if err == nil || strings.Contains(err.Error(), "a field of") {
					t.Fatalf("a field no event type has: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got  %v\nwant %s", err, tc.want)
			}
			if strings.Contains(err.Error(), "{const:") {
				t.Errorf("a field of other events is said to be meant as text: %v", err)
			}
		})
	}
}
