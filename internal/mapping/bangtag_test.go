package mapping_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mapping"
)

// TestAnExpressionStartingWithANotOutOfQuotesIsRefused: an expression
// that starts with expr's "not", !, written without quotes (when: !
// payload.enquiry.type == "extra"), is YAML's tag syntax: YAML read the !
// and a blank as "a text" and left them out, so validate said ok and the
// rule applied to the very leads it was to leave out. Written against the
// text (!(payload...)), the tag took a part of the expression and the
// rest was refused in words about that rest (unexpected token
// Operator("=="), at a character the operator did not write there), or
// the file was refused with "did not find expected key". Each now says
// that YAML reads the ! as a tag, at its line and column, and to put the
// whole expression in single quotes.
func TestAnExpressionStartingWithANotOutOfQuotesIsRefused(t *testing.T) {
	const head = "rules:\n  - name: r\n    source: lokalebasen\n    event: enquiry_created\n"
	const contact = "    contact:\n      email: payload.client.email\n"
	const tag = " at the start of a value not in quotes as a YAML tag, not as text, and leaves it out of the value " +
		"(an expression's ! would be lost): put the whole value in single quotes"
	const syntax = "a value not in quotes that starts with ! is a YAML tag, not text: put the whole value in single quotes"
	for _, c := range []struct{ name, doc, want string }{
		{"! and a blank", head + "    when: ! payload.enquiry.type == \"extra\"\n" + contact,
			`t.yaml:5: column 11: YAML reads "!"` + tag},
		{"! before a bracket", head + "    when: !(payload.enquiry.type == \"extra\")\n" + contact,
			`t.yaml:5: column 11: YAML reads "!(payload.enquiry.type"` + tag},
		{"! before a field", head + "    when: !payload.enquiry.type\n" + contact,
			`t.yaml:5: column 11: YAML reads "!payload.enquiry.type"` + tag},
		{"! in a property's braces", head + contact + "      company: {expr: ! payload.client.company}\n",
			`t.yaml:7: column 23: YAML reads "!"` + tag},
		{"! before a helper", head + "    when: !hasPrefix(payload.client.email, \"test\")\n" + contact,
			`t.yaml:5: ` + syntax},
		{"! in braces before a helper", head + contact + "      phone: {expr: !phone(payload.client.phone)}\n",
			`t.yaml:7: ` + syntax},
	} {
		_, err := mapping.Parse("t.yaml", []byte(c.doc), "hubspot")
		if err == nil || err.Error() != c.want {
			t.Errorf("%s:\ngot  %v\nwant %s", c.name, err, c.want)
		}
	}
	for _, ok := range []string{ // quoted, the ! is the expression's; a YAML type written out is no mistake
		head + "    when: '!hasPrefix(payload.client.email, \"test\")'\n" + contact,
		head + "    when: \"! (payload.enquiry.type == 'extra')\"\n" + contact,
		head + contact + "      numberofemployees: !!int 5\n",
	} {
		if _, err := mapping.Parse("t.yaml", []byte(ok), "hubspot"); err != nil {
			t.Errorf("%s: %v", ok[strings.LastIndex(ok[:len(ok)-1], "\n")+1:], err)
		}
	}
}
