package mapping

import (
	"strings"
	"testing"
)

// TestAPathInAnotherSyntaxSaysHowItIsWritten: a path written as JSONPath
// or JavaScript writes it ($.payload.client.email, eaf_errors[0].eaf_code,
// payload.client["email"], payload/client/email, a dot left at an end) was
// refused as a "bad path segment" and no more; the path as syncd writes
// it is given.
func TestAPathInAnotherSyntaxSaysHowItIsWritten(t *testing.T) {
	for path, want := range map[string]string{
		`$.payload.client.email`:  `bad path "$.payload.client.email": bad path segment "$" (a path is field names joined by dots: write payload.client.email)`,
		`.payload.client.email`:   `(a path is field names joined by dots: write payload.client.email)`,
		`payload.client.email.`:   `(a path is field names joined by dots: write payload.client.email)`,
		`payload.client["email"]`: `(a path is field names joined by dots: write payload.client.email)`,
		`payload/client/email`:    `(a path is field names joined by dots: write payload.client.email)`,
	} {
		src := "rules:\n  - name: r\n    source: lokalebasen\n    event: enquiry_created\n    contact:\n      email: payload.client.email\n" +
			"      company: '" + path + "'\n"
		_, err := Parse("test.yaml", []byte(src), "hubspot")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v\nwant %s", path, err, want)
		}
	}
	for path, want := range map[string]string{
		`eaf_errors[*].eaf_message`: `(a path is field names joined by dots: write eaf_errors.#.eaf_message)`,
		`eaf_errors[0].eaf_code`:    `(a path is field names joined by dots: write eaf_errors.0.eaf_code)`,
	} {
		src := "rules:\n  - name: r\n    source: eaf\n    event: portal_submission\n    contact:\n      email: {const: a@b.dk}\n" +
			"    deal:\n      dealname: '" + path + "'\n"
		if _, err := Parse("test.yaml", []byte(src), "hubspot"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v\nwant %s", path, err, want)
		}
	}
}
