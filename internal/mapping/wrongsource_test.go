package mapping

import (
	"strings"
	"testing"
)

// TestAnEventOfTheOtherSenderIsRefusedAtItsSource: a rule copied from
// the Lokalebasen file with source: changed to eaf but not its event
// (or the other way round) loaded with a warning that enquiry_created is
// not among eaf's event types, validate exit 0, and the rule never
// applied: no Estate Agent Feeds event has that type. It is refused at
// the source: line, naming the sender of that event and what to write.
func TestAnEventOfTheOtherSenderIsRefusedAtItsSource(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"eaf for enquiry_created", `rules:
  - name: r
    source: eaf
    event: enquiry_created
    contact:
      email: contact_email
`, `test.yaml:3: rule "r": source: eaf, but enquiry_created is an event of lokalebasen, which eaf never sends: ` +
			`write source: lokalebasen, or the eaf event meant (email_lead, portal_submission or feed_import)`},
		{"lokalebasen for email_lead", `rules:
  - name: r
    source: lokalebasen
    event: email_lead
    contact:
      email: payload.client.email
`, `test.yaml:3: rule "r": source: lokalebasen, but email_lead is an event of eaf, which lokalebasen never sends: ` +
			`write source: eaf, or the lokalebasen event meant (enquiry_created)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("test.yaml", []byte(tc.yaml), "hubspot")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got  %v\nwant %s", err, tc.want)
			}
		})
	}
}
