package mapping_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mapping"
)

// TestPathOfAnotherSendersLayout: a rule copied from the Lokalebasen file
// into an Estate Agent Feeds one (payload.contact_email), or the other way
// round (client.email), or a path to syncd's own fields (syncd.lead_id,
// which only expressions read) was refused with `unknown field "payload"`
// and no more, which does not say what to write; now the message names it.
func TestPathOfAnotherSendersLayout(t *testing.T) {
	rule := func(source, event, email, phone string) string {
		return "rules:\n  - name: r\n    source: " + source + "\n    event: " + event + "\n" +
			"    contact:\n      email: " + email + "\n      phone: " + phone + "\n"
	}
	for _, c := range []struct{ doc, want string }{
		{rule("eaf", "email_lead", "payload.contact_email", "contact_phone"),
			`contact.email: bad path "payload.contact_email": unknown field "payload" (this sender's fields are at the top: did you mean "contact_email"?)`},
		{rule("eaf", "email_lead", "contact_email", "{expr: 'phone(payload.contact_phone)'}"),
			`contact.phone: expression: unknown name payload (this sender's fields are at the top: write them without "payload.") (at column 28)`},
		{rule("lokalebasen", "enquiry_created", "client.email", "payload.client.phone"),
			`contact.email: bad path "client.email": unknown field "client" (did you mean "payload.client.email"?)`},
		{rule("lokalebasen", "enquiry_created", "payload.client.email", "{expr: 'phone(client.phone)'}"),
			`contact.phone: expression: unknown name client (did you mean "payload.client"?) (at column 28)`},
		{rule("eaf", "email_lead", "contact_email", "syncd.lead_id"),
			`contact.phone: bad path "syncd.lead_id": unknown field "syncd" (syncd's own fields are read by expressions: {expr: 'syncd.lead_id'})`},
	} {
		_, err := mapping.Parse("t.yaml", []byte(c.doc), "hubspot")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v\nwant %s", err, c.want)
		}
	}
}

// TestMisspeltHelperIsNamed: a helper written in the wrong case or
// misspelt (firstname for firstName, htmltotext, joinNonEmtpy) was refused
// with "unknown name firstname" and no more, while a misspelt field got its
// "did you mean"; now the helper meant is named, and a field still wins
// over a helper when it is nearer.
func TestMisspeltHelperIsNamed(t *testing.T) {
	rule := func(phone string) string {
		return "rules:\n  - name: r\n    source: eaf\n    event: email_lead\n" +
			"    contact:\n      email: contact_email\n      phone: " + phone + "\n"
	}
	for _, c := range []struct{ doc, want string }{
		{rule("{expr: 'firstname(contact_name)'}"),
			`contact.phone: expression: unknown function firstname (did you mean "firstName"?) (at column 22)`},
		{rule("{expr: 'htmltotext(contact_message_html)'}"),
			`contact.phone: expression: unknown function htmltotext (did you mean "htmlToText"?) (at column 22)`},
		{rule(`{expr: 'joinNonEmtpy(" ", contact_name)'}`),
			`contact.phone: expression: unknown function joinNonEmtpy (did you mean "joinNonEmpty"?) (at column 22)`},
		{rule("{expr: 'phone(contact_phnoe)'}"),
			`contact.phone: expression: unknown name contact_phnoe (did you mean "contact_phone"?) (at column 28)`},
	} {
		_, err := mapping.Parse("t.yaml", []byte(c.doc), "hubspot")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v\nwant %s", err, c.want)
		}
	}
}

// TestPlainValueMeantAsTextSaysHowToWriteIt: a value written bare as the
// text it should be (`pipeline: default`, `dealtype: New business`, a
// quoted "42"), as an operator adding a field writes it, is a path into
// the payload and was refused with `unknown field "default"` or `bad path
// segment "New business"` alone, which does not say that a constant is
// written {const: ...}; now it does. A path with a field probably meant,
// or with dots, is a path and gets no such hint.
func TestPlainValueMeantAsTextSaysHowToWriteIt(t *testing.T) {
	rule := func(prop string) string {
		return "rules:\n  - name: r\n    source: lokalebasen\n    event: enquiry_created\n" +
			"    contact:\n      email: payload.client.email\n    deal:\n      dealname: payload.location.id\n      " + prop + "\n"
	}
	const text = " (a plain value is a path into the payload: for the text itself write "
	for _, c := range []struct{ prop, want string }{
		{"pipeline: default", `deal.pipeline: bad path "default": unknown field "default"` + text + "{const: default})"},
		{"dealtype: New business", `deal.dealtype: bad path "New business": bad path segment "New business"` + text + "{const: 'New business'})"},
		{`hs_priority: "42"`, `deal.hs_priority: bad path "42": unknown field "42"` + text + "{const: '42'})"},
		{`x: "it's"`, `deal.x: bad path "it's": bad path segment "it's"` + text + "{const: 'it''s'})"},
		{"description: 'Call: after 5.30pm'", `deal.description: bad path "Call: after 5.30pm": bad path segment "Call: after 5"` + text + "{const: 'Call: after 5.30pm'})"},
		{"description: Ring kl. 16", `deal.description: bad path "Ring kl. 16": bad path segment "Ring kl"` + text + "{const: 'Ring kl. 16'})"},
		// The text after " #" was a comment to YAML: {const: Lead} dropped it.
		{"dealname2: Lead #1", `deal.dealname2: bad path "Lead": unknown field "Lead"` + text + "{const: 'Lead #1'}, in quotes: YAML reads a blank then # as a comment)"},
		{"amount: payload.location.idd", `deal.amount: bad path "payload.location.idd": unknown field "payload.location.idd" (did you mean "payload.location.id"?)`},
		{"amount: payload.nosuch", `deal.amount: bad path "payload.nosuch": unknown field "payload.nosuch" (payload has client, comment, enquiry, location, requested_location)`},
	} {
		_, err := mapping.Parse("t.yaml", []byte(rule(c.prop)), "hubspot")
		if err == nil || !strings.HasSuffix(err.Error(), c.want) {
			t.Errorf("%s: got %v\nwant %s", c.prop, err, c.want)
		}
	}
}

// TestUnquotedTextInAConditionIsNamedAsText: a when: comparing with a
// text written without its quotes (payload.enquiry.type == client, the
// quotes lost to YAML's own) was refused with `unknown name client (did
// you mean "payload.client"?)`, pointing at the client object, which
// the type is never equal to; a name compared with == or != that is no
// field is now said to be a text in quotes, and how YAML keeps them.
func TestUnquotedTextInAConditionIsNamedAsText(t *testing.T) {
	rule := func(when string) string {
		return "rules:\n  - name: r\n    source: lokalebasen\n    event: enquiry_created\n    when: " + when +
			"\n    contact:\n      email: payload.client.email\n"
	}
	for _, c := range []struct{ when, want string }{
		{`payload.enquiry.type == client`, `when: expression: unknown name client (a text is written in quotes: "client", ` +
			`and the whole condition in single quotes, when: 'payload.enquiry.type == "client"') (at column 35)`},
		{`'payload.enquiry.typ != "extra"'`, `when: expression: unknown field "payload.enquiry.typ" (did you mean "payload.enquiry.type"?) (at column 28)`},
		{`payload.enquiry.type == client or payload.enquiry.type == extra`, `when: expression: unknown name client (a text is written in quotes: "client", ` +
			`and the whole condition in single quotes, when: 'payload.enquiry.type == "client" or payload.enquiry.type == "extra"') (at column 35)`},
		{`clients == "x"`, `when: expression: unknown name clients (a text is written in quotes: "clients", ` +
			`and the whole condition in single quotes, when: '"clients" == "x"') (at column 11)`},
	} {
		_, err := mapping.Parse("t.yaml", []byte(rule(c.when)), "hubspot")
		if err == nil || !strings.HasSuffix(err.Error(), c.want) {
			t.Errorf("%s: got %v\nwant %s", c.when, err, c.want)
		}
	}
	eaf := "rules:\n  - name: r\n    source: eaf\n    event: email_lead\n    when: email_sourc == \"x\"\n" +
		"    contact:\n      email: contact_email\n"
	want := `when: expression: unknown name email_sourc (did you mean "email_source"?) (at column 11)` // a field misspelt stays so
	if _, err := mapping.Parse("t.yaml", []byte(eaf), "hubspot"); err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("got %v\nwant %s", err, want)
	}
}
