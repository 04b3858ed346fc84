package mapping

import "testing"

// TestABlockLackingWhatItNeedsSaysWhatToAdd: a contact without email or
// phone (the email line deleted with the phone's), or a deal without its
// name, was said to lack it and no more; each says what to add.
func TestABlockLackingWhatItNeedsSaysWhatToAdd(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"a contact without email or phone", `rules:
  - name: r
    source: lokalebasen
    event: enquiry_created
    contact:
      company: payload.client.company
`, `test.yaml:6: rule "r": contact: maps neither email nor phone, so it can have no identity: ` +
			`add email: (the sender's field of the client's email, as payload.client.email) or phone:`},
		{"a deal without its name", `rules:
  - name: r
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      pipeline: {const: default}
`, `test.yaml:8: rule "r": deal: maps no dealname (the deal's name): add dealname:, the name the deal has in the CRM, ` +
			`as dealname: {expr: 'joinNonEmpty(" ", "Enquiry", payload.client.name)'}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("test.yaml", []byte(tc.yaml), "hubspot")
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got  %v\nwant %s", err, tc.want)
			}
		})
	}
}
