package mapping

import (
	"strings"
	"testing"
)

// TestCheckExamplesChecksEveryConstantOfADeclaredType: a constant the CRM
// refuses for its field's declared type ({const: 1.500.000} into a number)
// was checked only when an example reached its rule: in a rule whose
// when: no example meets, validate said ok and the CRM refused every lead
// the rule took. Every such constant is checked, once, at its line.
func TestCheckExamplesChecksEveryConstantOfADeclaredType(t *testing.T) {
	for _, tc := range []struct{ name, when string }{
		{"a rule no example reaches", `    when: 'payload.enquiry.type == "client"'` + "\n"},
		{"a rule an example reaches", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			yaml := `fields:
  deal:
    syncd_budget: {type: number}
rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
` + tc.when + `    contact:
      email: payload.client.email
    deal:
      dealname: payload.location.id
      syncd_budget: {const: 1.500.000}
`
			r, err := Parse("test.yaml", []byte(yaml), "hubspot")
			if err != nil {
				t.Fatal(err)
			}
			digits := func(typ, v string, _ map[string]string) string {
				if typ == "number" && strings.Count(v, ".") > 1 {
					return "not a number"
				}
				return ""
			}
			_, _, errs := r.CheckExamples(webhooksDir, digits)
			line := "12"
			if tc.when != "" {
				line = "13"
			}
			want := `test.yaml:` + line + `: rule "lb": deal property syncd_budget (number): "1.500.000": not a number (declared at test.yaml:3)`
			if len(errs) != 1 || errs[0].Error() != want {
				t.Fatalf("got %q\nwant %s", errs, want)
			}
		})
	}
}
