package mapping

import "testing"

// TestAnEventOfTheOtherSenderIsSaidToBeItsSenders: a rule copied from
// the Lokalebasen file with source: changed to eaf but not its event
// (or the other way round) was warned of as if enquiry_created were a
// type eaf might add ("not among the eaf event types syncd knows"), at
// the event: line; the rule never applies, as no Estate Agent Feeds
// event has that type. The warning is at the source: line, naming the
// sender of that event and what to write. A warning still: such a rule
// maps nothing, and refusing it would hold every lead of a daemon
// restarted on files that have it.
func TestAnEventOfTheOtherSenderIsSaidToBeItsSenders(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"eaf for enquiry_created", `rules:
  - name: r
    source: eaf
    event: enquiry_created
    contact:
      email: contact_email
`, `test.yaml:3: rule "r": source: eaf, but enquiry_created is an event of lokalebasen, which eaf never sends, so this rule never applies: ` +
			`write source: lokalebasen, or the eaf event meant (email_lead, portal_submission or feed_import)`},
		{"lokalebasen for email_lead", `rules:
  - name: r
    source: lokalebasen
    event: email_lead
    contact:
      email: payload.client.email
`, `test.yaml:3: rule "r": source: lokalebasen, but email_lead is an event of eaf, which lokalebasen never sends, so this rule never applies: ` +
			`write source: eaf, or the lokalebasen event meant (enquiry_created)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Parse("test.yaml", []byte(tc.yaml), "hubspot")
			if err != nil {
				t.Fatal(err)
			}
			if ws := r.Warnings(); len(ws) != 1 || ws[0].Error() != tc.want {
				t.Fatalf("got  %v\nwant %s", ws, tc.want)
			}
		})
	}
}
