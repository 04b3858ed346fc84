package mapping_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mapping"
)

// TestExpressionMistakesAreSaidInWordsWithTheirColumn: the mistakes of
// someone new to expressions were refused in expr-lang's words, which
// name its parser's tokens ("unexpected token EOF", `unexpected token
// Bracket(")")`, `Operator("=")`, "literal not terminated"), a misspelt
// helper of five letters or fewer (phnoe, uper) got no "did you mean", and
// the position (1:27) was within the expression, which reads as the
// file's line 1. Each is now said as what to change, and where: the
// column in the file.
func TestExpressionMistakesAreSaidInWordsWithTheirColumn(t *testing.T) {
	rule := func(expr string) string {
		return "rules:\n  - name: r\n    source: lokalebasen\n    event: enquiry_created\n" +
			"    contact:\n      email: payload.client.email\n" +
			"      phone: {expr: '" + expr + "'}\n" // the expression starts at column 22
	}
	const at = `t.yaml:7: rule "r": contact.phone: expression: `
	for _, c := range []struct{ expr, want string }{
		{`phnoe(payload.client.phone)`, at + `unknown function phnoe (did you mean "phone"?) (at column 22)`},
		{`uper(payload.client.name)`, at + `unknown function uper (did you mean "upper"?) (at column 22)`},
		{`phone(payload.client.phone`, at + `it ends too soon: a "(" without its ")", a "?" without its ":", ` +
			`or an operator with nothing after it (unexpected token EOF) (at column 47)`},
		{`phone(payload.client.phone))`, at + `a ")" with no "(" before it (unexpected token Bracket(")")) (at column 49)`},
		{`payload.enquiry.type = "x"`, at + `a single "=": to compare, write "==" (unexpected token Operator("=")) (at column 43)`},
		{`default(payload.client.name payload.client.email)`, at + `"payload" where a comma or an operator is expected: ` +
			`one missing before it? (unexpected token Identifier("payload")) (at column 50)`},
		{`payload.location.id + 1`, at + `text and a number together: the payload's fields are text, so read one as a number with number(...) ` +
			`to add or compare numbers, or write the number in quotes ("100") to compare texts ` +
			`(invalid operation: + (mismatched types string and int)) (at column 42)`},
		{`lower(payload.client)`, at + `payload.client is a group of fields (company, email, name, phone), where lower wants one value: ` +
			`give one of its fields, as payload.client.company (at column 36)`},
		{`payload.client == "x"`, at + `payload.client is a group of fields (company, email, name, phone), where one value is wanted: ` +
			`give one of its fields, as payload.client.company (at column 37)`},
		{`upper(payload.client.title)`, at + `unknown field "payload.client.title" (payload.client has company, email, name, phone) (at column 43)`},
		{`concat(payload.client.name, "x'' ''y)`, at + `a text in quotes is not closed: the quote here opens one that never ends ` +
			`(literal not terminated) (at column 50)`},
	} {
		_, err := mapping.Parse("t.yaml", []byte(rule(c.expr)), "hubspot")
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s:\ngot  %v\nwant %s", c.expr, err, c.want)
		}
	}
	// the expression's opening quote left out: its closing one is named
	doc := strings.Replace(rule(""), "{expr: ''}", "{expr: phone(payload.client.phone)'}", 1)
	want := at + `a text in quotes is not closed: the quote here opens one that never ends (literal not terminated) (at column 48)`
	if _, err := mapping.Parse("t.yaml", []byte(doc), "hubspot"); err == nil || err.Error() != want {
		t.Errorf("opening quote left out:\ngot  %v\nwant %s", err, want)
	}
	// a when: in double quotes, its \" taking two columns, and a plain one
	for _, c := range []struct{ when, want string }{
		{`"payload.enquiry.type == \"x\" and uper(payload.client.name) != \"\""`,
			`t.yaml:5: rule "r": when: expression: unknown function uper (did you mean "upper"?) (at column 46)`},
		{`payload.enquiry.type = "x"`,
			`t.yaml:5: rule "r": when: expression: a single "=": to compare, write "==" (unexpected token Operator("=")) (at column 32)`},
	} {
		doc := "rules:\n  - name: r\n    source: lokalebasen\n    event: enquiry_created\n    when: " + c.when +
			"\n    contact:\n      email: payload.client.email\n"
		_, err := mapping.Parse("t.yaml", []byte(doc), "hubspot")
		if err == nil || err.Error() != c.want {
			t.Errorf("%s:\ngot  %v\nwant %s", c.when, err, c.want)
		}
	}
}
