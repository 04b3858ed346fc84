package mapping

import (
	"strings"
	"testing"
)

// TestARegionThatIsNoneIsRefusedAtLoad: phoneIn(payload.client.phone,
// "UK") loaded, validate said ok, and every lead's phone was left out:
// "UK" is no ISO 3166 code, so no number read in it is one, without a
// word. A region written in the expression that is none is refused where
// the mapping loads, with its column and the code meant; numberIn's too
// (it made every lead unmappable).
func TestARegionThatIsNoneIsRefusedAtLoad(t *testing.T) {
	const head = `rules:
  - name: r
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
`
	for _, tc := range []struct{ name, yaml, want string }{
		{"phoneIn", head + `      phone: {expr: 'phoneIn(payload.client.phone, "UK")'}` + "\n",
			`test.yaml:7: rule "r": contact.phone: expression: "UK" is no region: the United Kingdom's is GB (at column 52)`},
		{"numberIn", head + `      budget: {expr: 'numberIn(payload.client.phone, "DNK")'}` + "\n",
			`test.yaml:7: rule "r": contact.budget: expression: "DNK" is no region: write the two letters of ISO 3166 (DK, GB, SE, DE, ...) (at column 54)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("test.yaml", []byte(tc.yaml), "hubspot")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got  %v\nwant %s", err, tc.want)
			}
		})
	}
	ok := head + `      phone: {expr: 'phoneIn(payload.client.phone, "gb")'}` + "\n"
	if _, err := Parse("test.yaml", []byte(ok), "hubspot"); err != nil {
		t.Fatalf("a region in lower case: %v", err)
	}
}
