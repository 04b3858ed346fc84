package mapping

import (
	"strings"
	"testing"
)

// TestCheckExamplesNamesThePropertyLineOfARefusedValue: a value the CRM
// would refuse for a field's declared type (a name written into a number
// field) was named with the line of its rule's "- name:", 20 lines above
// the property to fix; it is named with the property's own line, and the
// field's declaration.
func TestCheckExamplesNamesThePropertyLineOfARefusedValue(t *testing.T) {
	const yaml = `fields:
  deal:
    syncd_budget: {type: number}
rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      dealname: payload.location.id
      syncd_budget: payload.client.name
`
	r, err := Parse("test.yaml", []byte(yaml), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	digits := func(typ, v string, _ map[string]string) string {
		if typ == "number" && strings.Trim(v, "0123456789.") != "" {
			return "not a number"
		}
		return ""
	}
	_, _, errs := r.CheckExamples(webhooksDir, digits)
	if len(errs) != 1 {
		t.Fatalf("want one problem, got %q", errs)
	}
	got := errs[0].Error()
	if want := `test.yaml:12: deal property syncd_budget (number): "Angela Baker": not a number (declared at test.yaml:3)`; !strings.Contains(got, want) {
		t.Errorf("got  %s\nwant it to name %s", got, want)
	}
}
