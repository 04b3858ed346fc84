package mapping

import (
	"os"
	"strings"
	"testing"

	"github.com/expr-lang/expr/conf"
)

// TestAHelperGivenTooFewOrTooManyValuesSaysHowItIsCalled: "not enough
// arguments to call phoneIn" said nothing of what phoneIn wants; the
// message says how the helper is called, as mappings/README.md writes it.
func TestAHelperGivenTooFewOrTooManyValuesSaysHowItIsCalled(t *testing.T) {
	const head = `rules:
  - name: r
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
`
	for expr, want := range map[string]string{
		`phoneIn(payload.client.phone)`:                   `expression: phoneIn is given too few values: it is called as phoneIn(s, "GB") (not enough arguments to call phoneIn) (at column 24)`,
		`formatDate(payload.comment, "2006", "UTC", "x")`: `expression: formatDate is given too many values: it is called as formatDate(v, layout[, tz]) (too many arguments to call formatDate) (at column 24)`,
		`default(payload.client.name)`:                    `expression: default is given too few values: it is called as default(v, d) (not enough arguments to call default)`,
		`localTime(payload.comment)`:                      `it is called as localTime(v, tz)`,
		`numberIn(payload.comment)`:                       `it is called as numberIn(s, "DK")`,
	} {
		src := head + "      company: {expr: '" + expr + "'}\n"
		_, err := Parse("test.yaml", []byte(src), "hubspot")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v\nwant %s", expr, err, want)
		}
	}
}

// TestEveryHelperIsDocumentedAsItIsCalled: each of syncd's helpers has
// its usage, and mappings/README.md writes that usage, so that an
// operator can write a mapping from the README alone.
func TestEveryHelperIsDocumentedAsItIsCalled(t *testing.T) {
	readme, err := os.ReadFile("../../mappings/README.md")
	if err != nil {
		t.Fatal(err)
	}
	c := conf.CreateNew()
	for _, o := range funcs("", "") {
		o(c)
	}
	for name := range c.Functions {
		usage := helperUsage[name]
		if usage == "" {
			t.Errorf("helper %s has no usage in helperUsage", name)
		} else if !strings.Contains(string(readme), "`"+usage+"`") {
			t.Errorf("mappings/README.md does not write helper %s as `%s`", name, usage)
		}
	}
}
