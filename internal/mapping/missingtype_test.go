package mapping

import (
	"testing"
)

// TestAFieldDeclaredWithoutATypeSaysWhichTypes: a field declared with no
// type was refused as "missing type", nothing said of the types there
// are; the CRM's types are named, as for a misspelt one.
func TestAFieldDeclaredWithoutATypeSaysWhichTypes(t *testing.T) {
	const yaml = `fields:
  deal:
    syncd_budget: {label: Budget}
rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
`
	_, err := Parse("test.yaml", []byte(yaml), "hubspot")
	want := `test.yaml:3: fields.deal.syncd_budget: missing type: give it one of the hubspot property types ` +
		`(string, number, date, datetime, enumeration, bool), as {type: string}`
	if err == nil || err.Error() != want {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
}
