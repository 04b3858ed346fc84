package mapping_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mapping"
)

// TestAnExpressionOverSeveralLinesIsWrongAtItsOwnLine: a long when: or
// expr: written over several lines (a | or > block, or a value in quotes
// or none that goes on to the next lines) was refused at the line of its
// key, "(at line 3, character 5 of the expression)" or, folded to one
// line, "(at character 60 of the expression)": the operator counted lines
// and characters in the value to find the mistake. The error now names
// the line of the file the mistake is on, and its column.
func TestAnExpressionOverSeveralLinesIsWrongAtItsOwnLine(t *testing.T) {
	const head = "rules:\n" + // 1
		"  - name: r\n" + // 2
		"    source: lokalebasen\n" + // 3
		"    event: enquiry_created\n" // 4
	const contact = "    contact:\n      email: payload.client.email\n"
	const uper = `unknown function uper (did you mean "upper"?)`
	for _, c := range []struct{ name, doc, want string }{
		{"literal block", head +
			"    when: |\n" + // 5
			"      payload.enquiry.type == \"client\"\n" + // 6
			"        and uper(payload.client.name) != \"\"\n" + // 7
			contact,
			`t.yaml:7: rule "r": when: expression: ` + uper + ` (at column 13)`},
		{"literal block with a blank line", head +
			"    when: |-\n" + // 5
			"      payload.enquiry.type == \"client\"\n" + // 6
			"\n" + // 7
			"        and uper(payload.client.name) != \"\"\n" + // 8
			contact,
			`t.yaml:8: rule "r": when: expression: ` + uper + ` (at column 13)`},
		{"folded block", head +
			"    when: >-\n" + // 5
			"      payload.enquiry.type == \"client\"\n" + // 6
			"      and uper(payload.client.name) != \"\"\n" + // 7
			contact,
			`t.yaml:7: rule "r": when: expression: ` + uper + ` (at column 11)`},
		{"folded block with a line more indented", head +
			"    when: >\n" + // 5
			"      payload.enquiry.type == \"client\"\n" + // 6
			"        and payload.client.name != \"\"\n" + // 7
			"      and uper(payload.client.name) != \"\"\n" + // 8
			contact,
			`t.yaml:8: rule "r": when: expression: ` + uper + ` (at column 11)`},
		{"single quotes", head +
			"    when: 'payload.enquiry.type == \"client\"\n" + // 5
			"      and uper(payload.client.name) != \"\"'\n" + // 6
			contact,
			`t.yaml:6: rule "r": when: expression: ` + uper + ` (at column 11)`},
		{"single quotes, a line between", head +
			"    when: 'payload.enquiry.type == \"client\"   \n" + // 5
			"\n" + // 6
			"      and uper(payload.client.name) != \"\"'\n" + // 7
			contact,
			`t.yaml:7: rule "r": when: expression: ` + uper + ` (at column 11)`},
		{"double quotes", head +
			"    when: \"payload.enquiry.type == \\\"client\\\"\n" + // 5
			"      and payload.client.name != \\\"\\\" and uper(payload.client.name) != \\\"\\\"\"\n" + // 6
			contact,
			`t.yaml:6: rule "r": when: expression: ` + uper + ` (at column 43)`},
		{"no quotes", head +
			"    when: payload.enquiry.type == \"client\"\n" + // 5
			"      and uper(payload.client.name) != \"\"\n" + // 6
			contact,
			`t.yaml:6: rule "r": when: expression: ` + uper + ` (at column 11)`},
		{"a property's expression in a block", head +
			contact + // 5, 6
			"      jobtitle:\n" + // 7
			"        write: create\n" + // 8
			"        expr: |\n" + // 9
			"          trim(\n" + // 10
			"            uper(payload.client.name))\n", // 11
			`t.yaml:11: rule "r": contact.jobtitle: expression: ` + uper + ` (at column 13)`},
	} {
		for _, crlf := range []bool{false, true} {
			doc := c.doc
			if crlf { // saved on Windows
				doc = strings.ReplaceAll(doc, "\n", "\r\n")
			}
			_, err := mapping.Parse("t.yaml", []byte(doc), "hubspot")
			if err == nil || err.Error() != c.want {
				t.Errorf("%s (CRLF %v):\ngot  %v\nwant %s", c.name, crlf, err, c.want)
			}
		}
	}
}
