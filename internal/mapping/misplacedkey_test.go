package mapping

import (
	"strings"
	"testing"
)

// TestASyncdKeyIndentedAsAPropertyIsSaidSo: a rule's when: indented into
// its contact block, or a property's write: or expr: indented as far as
// the properties, is valid YAML that reads as a CRM property named
// "when", "write" or "expr". It was refused as a path to a field, with
// the advice to write the text as a constant, {const: create}; it is
// named as syncd's own key, with where it belongs.
func TestASyncdKeyIndentedAsAPropertyIsSaidSo(t *testing.T) {
	const head = `rules:
  - name: r
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
`
	for _, tc := range []struct{ name, yaml, want string }{
		{"when: in the contact block", head + "      when: 'payload.enquiry.type == \"client\"'\n",
			`test.yaml:7: rule "r": contact.when: when: belongs to the rule, not to its contact: move it out to the column of contact:`},
		{"write: out of its property", head + "      firstname:\n        expr: 'firstName(payload.client.name)'\n      write: create\n",
			`test.yaml:9: rule "r": contact.write: write: is indented as a property of the contact: indent it under the property it is for (firstname:, line 7), in line with its path, const or expr`},
		{"expr: out of its property", head + "      firstname:\n      expr: 'firstName(payload.client.name)'\n",
			`test.yaml:8: rule "r": contact.expr: expr: is indented as a property of the contact: indent it under the property it is for (firstname:, line 7)` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("test.yaml", []byte(tc.yaml), "hubspot")
			if err == nil || !strings.Contains(err.Error()+"\n", tc.want) {
				t.Fatalf("got  %v\nwant %s", err, tc.want)
			}
			if strings.Contains(err.Error(), "{const:") {
				t.Errorf("syncd's key is said to be a text meant as a constant: %v", err)
			}
		})
	}
}
