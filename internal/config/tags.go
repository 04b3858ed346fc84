package config

import (
	"go.yaml.in/yaml/v3"

	"github.com/syncd-dev/syncd/internal/yamlpos"
)

// tagged adds a problem at each value of src's document (l.root) that
// begins, out of quotes, with a ! or a & YAML takes for its own: a tag
// (!x, or ! and a blank) or an anchor no *alias repeats. YAML leaves
// either out of the value, silently: a password !s3cret was read as "",
// and the check that followed said "basic_auth needs both username and
// password" of the line above; !ab cd as "cd". A type written out (!!str)
// is YAML's own and no mistake. The value is never echoed: it may be a
// secret, and the tag or anchor is part of it.
func (l *loader) tagged(src []byte) {
	lines := yamlpos.Lines(src)
	used := map[string]bool{}
	var aliases func(n *yaml.Node)
	aliases = func(n *yaml.Node) {
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			used[n.Alias.Anchor] = true
		}
		for _, c := range n.Content {
			aliases(c)
		}
	}
	aliases(&l.root)
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		for _, c := range n.Content {
			walk(c)
		}
		if n.Kind != yaml.ScalarNode {
			return
		}
		switch {
		case yamlpos.LeadingTag(lines, n.Line, n.Column) != "":
			l.add(n.Line, "column %d: YAML reads a ! at the start of a value not in quotes as a YAML tag, not as text, "+
				"and leaves it out of the value: put the whole value in single quotes", n.Column)
		case n.Anchor != "" && !used[n.Anchor] && startsWith(lines, n.Line, n.Column, '&'):
			l.add(n.Line, "column %d: YAML reads a & at the start of a value not in quotes as an anchor (a name to repeat "+
				"the value by, elsewhere, as *name), not as text, and leaves it out of the value: put the whole value in single quotes", n.Column)
		default:
			return
		}
		l.doubt(n.Line, "", "")
	}
	walk(&l.root)
}

// startsWith reports whether the text at line and column (1-based) of
// lines is c.
func startsWith(lines []string, line, column int, c rune) bool {
	if line < 1 || line > len(lines) {
		return false
	}
	text := []rune(lines[line-1])
	return column >= 1 && column <= len(text) && text[column-1] == c
}
