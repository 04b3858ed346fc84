package mapping

import (
	"strings"
	"unicode"
)

// withoutNumbers is full without the parts between its commas that hold
// a digit when others hold a letter: what a client types after the name
// (a phone, "Søren Ærø, 20 30 40 50", a CVR number, an address) is no
// part of it, where SplitName read "Ærø, Søren" as last name first and
// made "20 30 40 50" the first name. Text without a comma is returned as
// it is.
func withoutNumbers(full string) string {
	if !strings.Contains(full, ",") || !strings.ContainsFunc(full, unicode.IsDigit) {
		return full
	}
	parts := strings.Split(full, ",")
	kept := make([]string, 0, len(parts))
	for _, p := range parts {
		if !strings.ContainsFunc(p, unicode.IsDigit) {
			kept = append(kept, p)
		}
	}
	if !strings.ContainsFunc(strings.Join(kept, ""), unicode.IsLetter) {
		return full
	}
	return strings.Join(kept, ",")
}
