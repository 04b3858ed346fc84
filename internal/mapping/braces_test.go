package mapping

import (
	"strings"
	"testing"
)

// TestAPropertysKeysWithoutBracesSayToPutThemInBraces: a property's
// write: or expr: written without the braces around them
// (company: payload.client.company, write: create) was said to hold "a
// colon and a blank in a value not in quotes", with the advice to put the
// whole value in quotes, which would make it one path that is none. The
// value is given in braces, as it is meant.
func TestAPropertysKeysWithoutBracesSayToPutThemInBraces(t *testing.T) {
	const head = "rules:\n  - name: r\n    source: lokalebasen\n    event: enquiry_created\n    contact:\n      email: payload.client.email\n"
	for line, want := range map[string]string{
		"      company: payload.client.company, write: create\n": `test.yaml:7: write: is one of a property's own keys ` +
			`(path, const, expr, write), which go in braces: write company: {path: payload.client.company, write: create}`,
		"      phone: expr: 'phone(payload.client.phone)'\n": `test.yaml:7: expr: is one of a property's own keys ` +
			`(path, const, expr, write), which go in braces: write phone: {expr: 'phone(payload.client.phone)'}`,
	} {
		_, err := Parse("test.yaml", []byte(head+line), "hubspot")
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: got  %v\nwant %s", strings.TrimSpace(line), err, want)
		}
	}
}
