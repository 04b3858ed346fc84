package mapping

import (
	"strings"
	"testing"
)

// TestWarningsNameSenderTextIntoANumberField: a mapping that writes a
// sender's text field as it is into a field that holds a number (one
// declared double or monetary in Pipedrive, number in HubSpot, or the
// deal's value or amount) sends a number as people write it: "450.000"
// reached the CRM as 450, "1.500,00" was refused with its lead, and
// nothing said so at validate. Such a property is now warned of at its
// line, with number() as the way out; the same text through number(), a
// constant, an expression that computes, and a text field into a text
// field are not.
func TestWarningsNameSenderTextIntoANumberField(t *testing.T) {
	cases := []struct {
		target, file string
		want         []string
	}{
		{"pipedrive", `fields:
  deal:
    Budget: {type: double}
    Price: {type: monetary}
    Note: {type: varchar}
rules:
  - name: fine
    source: lokalebasen
    event: enquiry_created
    when: 'false'
    contact:
      email: {path: payload.client.email, write: add}
    deal:
      title: {const: T}
      Budget: {expr: 'number(payload.client.company)'}
      Price: {expr: 'number(payload.comment) + " DKK"'}
      value: {const: 450000, write: create}
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      email: {path: payload.client.email, write: add}
    deal:
      title: {const: T}
      budget: payload.client.company
      Price: {expr: 'payload.location.external_key'}
      value: {path: payload.comment, write: create}
      Note: payload.comment
`, []string{
			`x.yaml:25: rule "lb": deal.budget: writes the sender's text payload.client.company as it is into a Pipedrive number field (double)`,
			`x.yaml:26: rule "lb": deal.Price: writes the sender's text payload.location.external_key as it is into a Pipedrive number field (monetary)`,
			`x.yaml:27: rule "lb": deal.value: writes the sender's text payload.comment as it is into a Pipedrive number field (the deal's value)`,
		}},
		{"hubspot", `fields:
  contact:
    budget: {type: number}
rules:
  - name: eaf
    source: eaf
    event: email_lead
    contact:
      email: contact_email
      budget: {expr: contact_message_flat}
    deal:
      dealname: {const: D}
      amount: eaf_reference
`, []string{
			`x.yaml:10: rule "eaf": contact.budget: writes the sender's text contact_message_flat as it is into a HubSpot number property (number)`,
			`x.yaml:13: rule "eaf": deal.amount: writes the sender's text eaf_reference as it is into a HubSpot number property (the deal's amount)`,
		}},
	}
	for _, c := range cases {
		rules, err := Parse("x.yaml", []byte(c.file), c.target)
		if err != nil {
			t.Fatalf("%s: %v", c.target, err)
		}
		ws := rules.Warnings()
		if len(ws) != len(c.want) {
			t.Fatalf("%s: got %d warnings, want %d:\n%v", c.target, len(ws), len(c.want), ws)
		}
		for i, w := range ws {
			if !strings.HasPrefix(w.Error(), c.want[i]) || !strings.Contains(w.Error(), "number(") || !strings.Contains(w.Error(), `"450.000"`) {
				t.Errorf("%s warning %d:\n got %s\nwant %s…", c.target, i, w, c.want[i])
			}
		}
	}
}
