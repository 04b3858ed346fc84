// Package suggest finds the name an operator probably meant when the one
// written is not known: a misspelt key or event type.
package suggest

import (
	"strings"

	"github.com/agnivade/levenshtein"
)

// Nearest is the one of names within two edits of s, ignoring case (the
// first of the closest), or "" when none is that close.
func Nearest(s string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := levenshtein.ComputeDistance(strings.ToLower(s), strings.ToLower(n)); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// Misspelt is the one of names that s, which none of them is, is
// probably a misspelling of (a CRM property or field an operator wrote in
// a mapping): the nearest within two edits, ignoring case and blanks at
// either end, but not one that only adds to the end of the other or
// takes from it ("Phone 2" is another field beside "Phone"); "" when none.
func Misspelt(s string, names []string) string {
	low := strings.ToLower(strings.TrimSpace(s))
	var others []string
	for _, n := range names {
		l := strings.ToLower(strings.TrimSpace(n))
		if l == low || strings.HasPrefix(l, low) || strings.HasPrefix(low, l) {
			continue
		}
		others = append(others, strings.TrimSpace(n))
	}
	return Nearest(strings.TrimSpace(s), others)
}
