package yamlpos

import (
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestSyntaxSaysToQuoteAnIPv6Address: an IPv6-only server's configuration
// written as the docs write addresses, listen: [::1]:8080 or
// trusted_proxies: [::1], failed with the library's "did not find expected
// node content" alone: YAML reads [::1]:8080 as a [...] list with more
// after it, and cannot read an item beginning with "::" in a [...] list.
// The line is named with the address and how to write it.
func TestSyntaxSaysToQuoteAnIPv6Address(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		doc  string
		line int
		msg  string
	}{
		{"data_dir: x\nlisten: [::1]:8080\nlog: {}\n", 2, `[::1]:8080 is an IPv6 address in brackets with its port, which YAML reads as a [...] list ` +
			`with more after it: put it in quotes, listen: "[::1]:8080"`},
		{"metrics:\n  listen: [::]:9090  # every address\n", 2, `[::]:9090 is an IPv6 address in brackets with its port, which YAML reads as a [...] list ` +
			`with more after it: put it in quotes, listen: "[::]:9090"`},
		{"listen: [2001:db8::1]:443\n", 1, `[2001:db8::1]:443 is an IPv6 address in brackets with its port, which YAML reads as a [...] list ` +
			`with more after it: put it in quotes, listen: "[2001:db8::1]:443"`},
		{"a: 1\nhttp:\n  trusted_proxies: [::1, fd00::/8]\n", 3, `::1 in a [...] list begins with "::", which YAML cannot read there ` +
			`without quotes: put it in quotes, ["::1"], or write the list one item a line (- ::1)`},
		{"report:\n  mail:\n    host: [::1]\n", 3, `::1 in a [...] list begins with "::", which YAML cannot read there ` +
			`without quotes: put it in quotes, ["::1"], or write the list one item a line (- ::1); where host takes one ` +
			`address, not a list, write it without brackets, host: ::1`},
		{"sources:\n  eaf:\n    allow_ips: [10.0.0.0/8, ::ffff:10.0.0.1]\n", 3, `::ffff:10.0.0.1 in a [...] list begins with "::", which YAML cannot read there ` +
			`without quotes: put it in quotes, ["::ffff:10.0.0.1"], or write the list one item a line (- ::ffff:10.0.0.1)`},
		// docs/crm-sync.md's line for the stand-in CRM, on [::1].
		{"crm: {kind: hubspot, hubspot: {base_url: http://[::1]:8090, token: anything}}\n", 1, `http://[::1]:8090, an address ` +
			`with an IPv6 address in brackets, is not in quotes inside a {...} value, where YAML reads [ and ] as a list's: ` +
			`put it in quotes, base_url: "http://[::1]:8090"`},
		{"crm: {pipedrive: {base_url: http://[::1]:8090/api/v2}}\n", 1, `http://[::1]:8090/api/v2, an address ` +
			`with an IPv6 address in brackets, is not in quotes inside a {...} value, where YAML reads [ and ] as a list's: ` +
			`put it in quotes, base_url: "http://[::1]:8090/api/v2"`},
	} {
		var n yaml.Node
		err := yaml.Unmarshal([]byte(c.doc), &n)
		if err == nil {
			t.Fatalf("%q parsed", c.doc)
		}
		line, msg := Syntax(err.Error(), []byte(c.doc))
		if line != c.line || msg != c.msg {
			t.Errorf("%q: %v\ngot line %d %q\nwant line %d %q", c.doc, err, line, msg, c.line, c.msg)
		}
	}
}
