package mapping

import (
	"testing"
)

// TestTwoWriteModesOfAFieldSayWhatToDo: write: create on one rule's email
// and none on another's was refused as "write: create, but
// hubspot/eaf.yaml:39 writes it always", which an operator who never
// wrote "always" could not place; it says that no write: is always, and
// what to change.
func TestTwoWriteModesOfAFieldSayWhatToDo(t *testing.T) {
	const yaml = `rules:
  - name: a
    source: lokalebasen
    event: enquiry_created
    contact:
      email: {path: payload.client.email, write: create}
  - name: b
    source: eaf
    event: email_lead
    contact:
      email: contact_email
`
	_, err := Parse("test.yaml", []byte(yaml), "hubspot")
	want := `test.yaml:11: rule "b": contact.email: write: always, but test.yaml:6 writes it create: ` +
		`a field is written one way by every rule (always where no write: is given): give both the same write:`
	if err == nil || err.Error() != want {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
}
