package sender_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/syncd-dev/syncd/internal/sender"
)

// TestTypeSpaceAndFoldReadAsDocumentedType: the stores read stored types
// in SQL with TypeSpace and TypeFold (the report's Leads sheet). That
// reading is DocumentedType's only if every documented type is lower-case
// ASCII, trimmed, the space set is TrimSpace's and the fold EqualFold's
// for every character against every character a documented type holds.
func TestTypeSpaceAndFoldReadAsDocumentedType(t *testing.T) {
	for _, s := range sender.All() {
		for _, typ := range s.Types {
			for _, r := range typ {
				if r >= utf8.RuneSelf || unicode.IsUpper(r) || unicode.IsSpace(r) {
					t.Errorf("%s type %q is not lower-case ASCII: the stores' reading of stored types is not DocumentedType's", s.Kind, typ)
				}
			}
		}
	}
	space := sender.TypeSpace()
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if unicode.IsSpace(r) != strings.ContainsRune(space, r) {
			t.Errorf("TypeSpace and unicode.IsSpace differ on %U", r)
		}
	}
	from, to := sender.TypeFold()
	fr, tr := []rune(from), []rune(to)
	if len(fr) != len(tr) {
		t.Fatalf("TypeFold: %d characters mapped to %d", len(fr), len(tr))
	}
	folded := func(r rune) rune {
		for i, f := range fr {
			if f == r {
				return tr[i]
			}
		}
		return r
	}
	// EqualFold(r, a) holds for r in a's fold orbit alone: folded must take
	// every one of these to a, and each character it maps to one whose
	// orbit holds it.
	for a := rune(0); a < utf8.RuneSelf; a++ {
		if unicode.IsUpper(a) {
			continue // no documented type holds one
		}
		for r := unicode.SimpleFold(a); r != a; r = unicode.SimpleFold(r) {
			if folded(r) != a {
				t.Errorf("TypeFold leaves %U as %q: strings.EqualFold reads it as %q", r, folded(r), a)
			}
		}
	}
	for i, r := range fr {
		if !strings.EqualFold(string(r), string(tr[i])) {
			t.Errorf("TypeFold maps %U to %q: strings.EqualFold does not", r, tr[i])
		}
	}
}
