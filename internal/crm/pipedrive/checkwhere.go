package pipedrive

import (
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// placesOf is every line of the mappings that names s, its declaration in
// fields: and the rules that write it ("m.yaml:4, m.yaml:21"): what must
// change together to write it under another name or drop it. Where alone
// named the declaration, and a rule changed by its fix kept writing the
// old name in the other.
func placesOf(s syncd.FieldSpec) string {
	if len(s.Places) == 0 {
		return s.Where
	}
	return strings.Join(s.Places, ", ")
}
