package yamlpos

import "testing"

// TestSyntaxSaysTheFirstItemsDashLacksABlank: a list's first item written
// "-name: a" (no blank after its "-") is a key "-name" to YAML, so the
// item's next key is what it refuses. That line was named as indented
// where no key above it is, with the column of the list's own key, which
// sent the operator to fix an indentation that is right; the "-" to fix is
// named, as it is for any later item.
func TestSyntaxSaysTheFirstItemsDashLacksABlank(t *testing.T) {
	const msg = `has no blank after it: a list item is written "- " and then its first key`
	for _, c := range []struct {
		doc  string
		line int
		msg  string
	}{
		{"rules:\n  -name: a\n    source: b\n    event: c\n", 2, `the "-" at column 3 ` + msg},
		{"# c\nrules:\n  # r\n  -name: a\n\n    description: >-\n      x y\n", 4, `the "-" at column 3 ` + msg},
		{"rules:\n-name: a\n  source: b\n", 2, `the "-" at column 1 ` + msg},
	} {
		checkSyntax(t, c.doc, c.line, c.msg)
	}
}
