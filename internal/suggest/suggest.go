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
