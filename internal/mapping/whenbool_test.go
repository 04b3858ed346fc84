package mapping

import (
	"strings"
	"testing"
)

// TestAWhenThatIsNoConditionSaysHowToWriteOne: when: payload.enquiry.type
// (a field, not a comparison) was refused as "expected bool, but got
// string", expr-lang's words; it says that when: is a condition and how
// one is written.
func TestAWhenThatIsNoConditionSaysHowToWriteOne(t *testing.T) {
	const yaml = `rules:
  - name: r
    source: lokalebasen
    event: enquiry_created
    when: payload.enquiry.type
    contact:
      email: payload.client.email
`
	_, err := Parse("test.yaml", []byte(yaml), "hubspot")
	want := `test.yaml:5: rule "r": when: expression: a when: is a condition, true or false, and this gives text: ` +
		`compare it, as 'payload.enquiry.type == "..."' (expected bool, but got string)`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
}
